import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString } from 'class-validator';
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

export class CreateStudentDto {
  @ApiProperty({ example: 'ML0001', description: 'National id (NINA); unique; case and spaces ignored' })
  @IsString()
  @Satisfies(nationalIdRule)
  nationalId: string;

  @ApiProperty({ example: 'Aïssata' })
  @IsString()
  @Satisfies(nameRule)
  firstName: string;

  @ApiProperty({ example: "N'Diaye" })
  @IsString()
  @Satisfies(nameRule)
  lastName: string;

  @ApiProperty({ enum: ['F', 'M'] })
  @IsIn(['F', 'M'], { message: 'must be F or M' })
  sex: 'F' | 'M';

  @ApiProperty({
    example: '2001-03-14',
    description: 'YYYY-MM-DD; a real date, not in the future; 15 or older on 1 October of the intake year',
  })
  @IsString()
  @Satisfies((raw: string) => dateOfBirthRule(raw))
  dateOfBirth: string;

  @ApiProperty({
    example: 'Gao',
    enum: MALI_REGIONS,
    description: 'Any case, accents optional; stored by its canonical name',
  })
  @IsString()
  @Satisfies(regionRule)
  regionOfOrigin: string;

  @ApiProperty({ example: 'ESS-GAO' })
  @IsString()
  @Satisfies(schoolCodeRule)
  schoolCode: string;

  @ApiProperty({
    example: 'nursing',
    enum: PROGRAMME_CODES,
    description: 'A code, or its French or English name',
  })
  @IsString()
  @Satisfies(programmeRule)
  programmeOfStudy: string;

  @ApiProperty({ example: 2014 })
  @IsInt()
  @Satisfies((value: number) => intakeYearRule(value), 'number')
  intakeYear: number;

  @ApiPropertyOptional({
    example: '76 12 34 56',
    nullable: true,
    description:
      'A Malian mobile number (stipends go to Malian mobile-money wallets); without a country code it is read as Malian; stored E.164',
  })
  @IsOptional()
  @IsString()
  @Satisfies(phoneRule)
  phone?: string | null;

  @ApiPropertyOptional({
    enum: ['orange', 'moov'],
    nullable: true,
    description: 'Inferred from the number when not given',
  })
  @IsOptional()
  @IsIn(['orange', 'moov'], { message: 'must be orange or moov' })
  operator?: 'orange' | 'moov' | null;

  @ApiPropertyOptional({
    enum: ['enrolled'],
    description: 'A new student is always enrolled; other statuses come through POST /students/{id}/status',
  })
  @IsOptional()
  @IsIn(['enrolled'], {
    message:
      'a new student is always enrolled; change the status afterwards with POST /api/v1/students/{id}/status and a reason',
  })
  status?: 'enrolled';
}
