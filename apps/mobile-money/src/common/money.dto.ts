import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';

/** `{ value, unit }`: a whole number of XOF. */
export class AmountDto {
  @ApiProperty({ example: 25000, description: 'whole West African CFA francs' })
  @IsInt({ message: 'must be a whole number of francs' })
  @Min(1, { message: 'must be at least 1' })
  @Max(Number.MAX_SAFE_INTEGER, { message: 'is too large' })
  value: number;

  @ApiProperty({ example: 'XOF', enum: ['XOF'] })
  @IsIn(['XOF'], { message: 'must be "XOF"' })
  unit: 'XOF';
}

export const MALI_MSISDN = /^\+223\d{8}$/;
export const MALI_MSISDN_PROBLEM = 'must be an E.164 Mali number: +223 and eight digits';
