import { ApiPropertyOptional } from '@nestjs/swagger';
import type { StudentStatus } from '@scholarpay/contracts';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

export class ListStudentsQuery {
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

  @ApiPropertyOptional({ example: 2014 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole year' })
  intakeYear?: number;

  @ApiPropertyOptional({
    example: 'aissata',
    description: 'Words of the first or last name; case and accents ignored',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ example: 50, description: '1 to 200, default 50' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
