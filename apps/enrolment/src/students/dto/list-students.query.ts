import { ApiPropertyOptional } from '@nestjs/swagger';
import type { StudentStatus } from '@scholarpay/contracts';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Satisfies } from '../../common/satisfies.decorator';
import { intakeYearRule } from '../student-fields.rules';
import { CursorPageQuery } from './list-student-changes.query';
import { wholeNumberFromQuery } from '@scholarpay/platform';

export class ListStudentsQuery extends CursorPageQuery {
  @ApiPropertyOptional({ example: 'ESS-GAO' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  schoolCode?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  schoolId?: string;

  @ApiPropertyOptional({ enum: ['enrolled', 'suspended', 'withdrawn', 'graduated'] })
  @IsOptional()
  @IsIn(['enrolled', 'suspended', 'withdrawn', 'graduated'], {
    message: 'must be one of enrolled, suspended, withdrawn, graduated',
  })
  status?: StudentStatus;

  @ApiPropertyOptional({ example: 2014, description: 'From 2000 to next year, as on a student' })
  @IsOptional()
  @Transform(wholeNumberFromQuery)
  @IsInt({ message: 'must be a whole year' })
  // The bounds a student's intake year has: a filter outside them finds no one, and a number
  // beyond Postgres' integer would fail in the query.
  @Satisfies((value: number) => intakeYearRule(value), 'number')
  intakeYear?: number;

  @ApiPropertyOptional({
    example: 'aissata',
    description: 'Words of the first or last name; case and accents ignored',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}
