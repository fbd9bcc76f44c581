import {
  IsDefined,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
import { AppError } from './app-error';
import { createValidationPipe } from './validation';

class WindowDto {
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  months: number;
}

class RequestDto {
  @IsString({ message: 'must be a string' })
  @Matches(/^\d{4}-\d{2}$/, { message: 'must be a month written YYYY-MM' })
  month: string;

  @IsDefined({ message: 'is required: say why' })
  @IsString({ message: 'must be a string' })
  @MaxLength(10, { message: 'must be at most 10 characters' })
  reason: string;

  @IsOptional()
  @IsString()
  note?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => WindowDto)
  window?: WindowDto;
}

async function problemsFor(body: unknown): Promise<{ field: string; problem: string }[]> {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype: RequestDto });
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).fields ?? [];
  }
  throw new Error('the body was accepted');
}

describe('createValidationPipe', () => {
  it('names a missing field once, as required, in the DTO own words when it has an @IsDefined', async () => {
    expect(await problemsFor({})).toEqual([
      { field: 'month', problem: 'is required' },
      { field: 'reason', problem: 'is required: say why' },
    ]);
  });

  it('lists every rule a present but wrong value breaks', async () => {
    const problems = await problemsFor({ month: 2015, reason: 'x'.repeat(11) });
    expect(problems).toEqual(
      expect.arrayContaining([
        { field: 'month', problem: 'must be a string' },
        { field: 'month', problem: 'must be a month written YYYY-MM' },
        { field: 'reason', problem: 'must be at most 10 characters' },
      ]),
    );
    expect(problems).toHaveLength(3);
  });

  it("drops the field's name from class-validator's own messages, which already follow it", async () => {
    expect(await problemsFor({ month: '2015-03', reason: 'ok', note: 12 })).toEqual([
      { field: 'note', problem: 'must be a string' },
    ]);
  });

  it('names nested fields by their path, and unknown fields as unknown', async () => {
    expect(await problemsFor({ month: '2015-03', reason: 'ok', window: {}, extra: 1 })).toEqual([
      { field: 'extra', problem: 'is not a known field' },
      { field: 'window.months', problem: 'is required' },
    ]);
  });

  it('passes a valid body, leaving optional fields out', async () => {
    const value = await createValidationPipe().transform(
      { month: '2015-03', reason: 'ok' },
      { type: 'body', metatype: RequestDto },
    );
    expect(value).toBeInstanceOf(RequestDto);
    expect(value).toEqual({ month: '2015-03', reason: 'ok' });
  });
});
