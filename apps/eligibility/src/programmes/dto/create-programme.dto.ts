import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { maxProgrammeAmount, maxProgrammeAwards } from '../programme.rules';

export const yearMonthPattern = /^\d{4}-(0[1-9]|1[0-2])$/;
export const programmeCodePattern = /^[A-Z0-9][A-Z0-9_-]{1,39}$/;

const exampleRules = {
  all: [
    { fact: 'regionOfOrigin', operator: 'in', value: ['Gao', 'Tombouctou', 'Kidal', 'Ménaka', 'Taoudénit'] },
    { fact: 'status', operator: 'equal', value: 'enrolled' },
    {
      any: [
        { fact: 'programmeOfStudy', operator: 'equal', value: 'nursing' },
        { fact: 'programmeOfStudy', operator: 'equal', value: 'midwifery' },
      ],
    },
    { fact: 'intakeYear', operator: 'greaterThanInclusive', value: 2013 },
  ],
};

export class CreateProgrammeDto {
  @ApiProperty({
    example: 'GAO-NURSING-2014',
    description: '2 to 40 upper-case letters, digits, "-" or "_"; unique',
  })
  @IsString()
  @Matches(programmeCodePattern, {
    message: 'must be 2 to 40 upper-case letters, digits, "-" or "_", starting with a letter or a digit',
  })
  code: string;

  @ApiProperty({ example: 'Bourses des étudiants infirmiers du Nord, promotion 2014' })
  @IsString()
  @Matches(/\S/, { message: 'must not be blank' })
  @MaxLength(200)
  name: string;

  // The caps (and stipend × months) are checked with the other terms, in programme.rules.ts.
  @ApiProperty({
    example: 25000,
    maximum: maxProgrammeAmount,
    description: `Whole XOF francs paid each month to each scholar; with the months, at most ${maxProgrammeAmount} for one award`,
  })
  @IsInt({ message: 'must be a whole number of XOF francs' })
  @Min(1, { message: 'must be a positive amount of XOF francs' })
  monthlyStipend: number;

  @ApiProperty({ example: '2014-10', description: 'First month paid (YYYY-MM)' })
  @IsString()
  @Matches(yearMonthPattern, { message: 'must be a month written YYYY-MM' })
  firstMonth: string;

  @ApiProperty({ example: '2015-06', description: 'Last month paid (YYYY-MM), not before firstMonth' })
  @IsString()
  @Matches(yearMonthPattern, { message: 'must be a month written YYYY-MM' })
  lastMonth: string;

  @ApiProperty({
    example: 45000000,
    maximum: maxProgrammeAmount,
    description: 'Total XOF the programme may commit; at least one monthly stipend',
  })
  @IsInt({ message: 'must be a whole number of XOF francs' })
  @Min(1, { message: 'must be a positive amount of XOF francs' })
  budget: number;

  @ApiPropertyOptional({
    example: 200,
    nullable: true,
    maximum: maxProgrammeAwards,
    description: 'Most awards held at once (active or suspended); none means the budget alone limits',
  })
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  maxAwards?: number | null;

  @ApiProperty({
    example: exampleRules,
    description: 'A json-rules-engine condition object (all / any / not) over student facts',
  })
  @IsDefined({ message: 'is required: a condition group such as { "all": [ ... ] }' })
  rules: unknown;

  @ApiPropertyOptional({
    example: [
      { fact: 'intakeYear', direction: 'asc' },
      { fact: 'enrolledAt', direction: 'asc' },
    ],
    nullable: true,
    description:
      'Order of award when eligible students outnumber places or budget (facts: intakeYear, enrolledAt, dateOfBirth, ageAtIntake)',
  })
  @IsOptional()
  ranking?: unknown;
}
