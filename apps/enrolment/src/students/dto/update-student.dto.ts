import { ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsIn, IsInt, IsOptional, IsString, ValidateIf } from 'class-validator';
import { Satisfies } from '../../common/satisfies.decorator';
import { schoolCodeRule } from '../../schools/school.rules';
import { MALI_REGIONS, PROGRAMME_CODES } from '@scholarpay/contracts';
import {
  dateOfBirthRule,
  intakeYearRule,
  nameRule,
  nationalIdRule,
  phoneRule,
  programmeRule,
  regionRule,
} from '../student-fields.rules';
import { changeReasonRule } from '../student-change.rules';

const given = (_: object, value: unknown) => value !== undefined;

/**
 * Every field optional; a field present is replaced. `phone: null` removes the number. `reason` is
 * not a field of the student: it says why, and is required when phone, nationalId or schoolCode changes.
 */
export class UpdateStudentDto {
  @ApiPropertyOptional({ example: 'ML0001' })
  @ValidateIf(given)
  @IsString()
  @Satisfies(nationalIdRule)
  nationalId?: string;

  @ApiPropertyOptional({ example: 'Aïssata' })
  @ValidateIf(given)
  @IsString()
  @Satisfies(nameRule)
  firstName?: string;

  @ApiPropertyOptional({ example: "N'Diaye" })
  @ValidateIf(given)
  @IsString()
  @Satisfies(nameRule)
  lastName?: string;

  @ApiPropertyOptional({ enum: ['F', 'M'] })
  @ValidateIf(given)
  @IsIn(['F', 'M'], { message: 'must be F or M' })
  sex?: 'F' | 'M';

  @ApiPropertyOptional({ example: '2001-03-14' })
  @ValidateIf(given)
  @IsString()
  @Satisfies((raw: string) => dateOfBirthRule(raw))
  dateOfBirth?: string;

  @ApiPropertyOptional({ example: 'Gao', enum: MALI_REGIONS })
  @ValidateIf(given)
  @IsString()
  @Satisfies(regionRule)
  regionOfOrigin?: string;

  @ApiPropertyOptional({
    example: 'ESS-GAO',
    description: 'Moves the student to another school (you must administer both)',
  })
  @ValidateIf(given)
  @IsString()
  @Satisfies(schoolCodeRule)
  schoolCode?: string;

  @ApiPropertyOptional({ example: 'midwifery', enum: PROGRAMME_CODES })
  @ValidateIf(given)
  @IsString()
  @Satisfies(programmeRule)
  programmeOfStudy?: string;

  @ApiPropertyOptional({ example: 2015 })
  @ValidateIf(given)
  @IsInt()
  @Satisfies((value: number) => intakeYearRule(value), 'number')
  intakeYear?: number;

  @ApiPropertyOptional({ example: '+223 66 12 34 56', nullable: true })
  @IsOptional()
  @IsString()
  @Satisfies(phoneRule)
  phone?: string | null;

  @ApiPropertyOptional({
    enum: ['orange', 'moov'],
    nullable: true,
    description: 'null: infer from the number again',
  })
  @IsOptional()
  @IsIn(['orange', 'moov'], { message: 'must be orange or moov' })
  operator?: 'orange' | 'moov' | null;

  @ApiPropertyOptional({
    example: 'New SIM card after the old one was stolen',
    description:
      'Why the record changes (1-500 characters), kept in the change history. Required when phone, nationalId or schoolCode changes.',
  })
  @ValidateIf(given)
  @IsString()
  @Satisfies(changeReasonRule)
  reason?: string;

  /** Not a field of PATCH: listed only to say where status changes go. */
  @ValidateIf(given)
  @Equals(undefined, {
    message: 'cannot be changed with PATCH; use POST /api/v1/students/{id}/status with a reason',
  })
  status?: never;
}
