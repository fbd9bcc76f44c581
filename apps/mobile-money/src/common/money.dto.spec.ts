import { AppError, createValidationPipe } from '@scholarpay/platform';
import { AmountDto } from './money.dto';

async function problemsFor(body: unknown): Promise<{ field: string; problem: string }[]> {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype: AmountDto });
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).fields ?? [];
  }
  throw new Error('the amount was accepted');
}

describe('amount', () => {
  it.each([['1500'], [null], [true], [[1500]], [{ value: 1500 }], [1500.5]])(
    'names the type problem alone for value %p, not the bounds a number would have to meet',
    async (value) => {
      expect(await problemsFor({ value, unit: 'XOF' })).toEqual([{ field: 'value', problem: 'must be a whole number of francs' }]);
    },
  );

  it.each([
    [0, 'must be at least 1'],
    [-5, 'must be at least 1'],
    [2 ** 53, 'is too large'],
  ])('names the bound a whole number %p breaks', async (value, problem) => {
    expect(await problemsFor({ value, unit: 'XOF' })).toEqual([{ field: 'value', problem }]);
  });

  it('names a missing value as required', async () => {
    expect(await problemsFor({ unit: 'XOF' })).toEqual([{ field: 'value', problem: 'is required' }]);
  });

  it('accepts whole francs from 1 to the largest safe integer', async () => {
    for (const value of [1, 25_000, Number.MAX_SAFE_INTEGER]) {
      await expect(createValidationPipe().transform({ value, unit: 'XOF' }, { type: 'body', metatype: AmountDto })).resolves.toEqual({
        value,
        unit: 'XOF',
      });
    }
  });
});
