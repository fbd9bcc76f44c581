import { ApiProperty } from '@nestjs/swagger';
import { IsIn, registerDecorator } from 'class-validator';

/**
 * What is wrong with an amount's value, or null: the type first and alone (class-validator's IsInt,
 * Min and Max would each report on "1500" or null, "is too large" first), then the bounds.
 */
function wholeFrancsProblem(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isInteger(value)) return 'must be a whole number of francs';
  if (value < 1) return 'must be at least 1';
  if (value > Number.MAX_SAFE_INTEGER) return 'is too large';
  return null;
}

/** One constraint with one message, the first problem `wholeFrancsProblem` finds. */
function IsWholeFrancs(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isWholeFrancs',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: ({ value }) => wholeFrancsProblem(value) ?? 'must be a whole number of francs' },
      validator: { validate: (value: unknown) => wholeFrancsProblem(value) === null },
    });
  };
}

/** `{ value, unit }`: a whole number of XOF. */
export class AmountDto {
  @ApiProperty({ example: 25000, description: 'whole West African CFA francs' })
  @IsWholeFrancs()
  value: number;

  @ApiProperty({ example: 'XOF', enum: ['XOF'] })
  @IsIn(['XOF'], { message: 'must be "XOF"' })
  unit: 'XOF';
}

export const MALI_MSISDN = /^\+223\d{8}$/;
export const MALI_MSISDN_PROBLEM = 'must be an E.164 Mali number: +223 and eight digits';
