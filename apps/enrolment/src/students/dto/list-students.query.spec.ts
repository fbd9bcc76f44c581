import { AppError, createValidationPipe } from '@scholarpay/platform';
import { ListStudentsQuery } from './list-students.query';

/** The query as the controller gets it, or the problems the validation pipe reports. */
async function validate(query: Record<string, unknown>): Promise<ListStudentsQuery | AppError> {
  try {
    return (await createValidationPipe().transform(query, {
      type: 'query',
      metatype: ListStudentsQuery,
    })) as ListStudentsQuery;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}

const nextYear = new Date().getUTCFullYear() + 1;

describe('ListStudentsQuery', () => {
  it('reads an intake year from 2000 to next year', async () => {
    expect(await validate({ intakeYear: '2014' })).toMatchObject({ intakeYear: 2014 });
    expect(await validate({ intakeYear: String(nextYear) })).toMatchObject({ intakeYear: nextYear });
  });

  it.each([
    ['99999999999', `must be between 2000 and ${nextYear}`],
    ['1999', `must be between 2000 and ${nextYear}`],
    ['0x7D9', 'must be a whole year'],
    ['1e3', 'must be a whole year'],
    ['', 'must be a whole year'],
    ['abc', 'must be a whole year'],
  ])('refuses intakeYear=%s with one problem: %s', async (intakeYear, problem) => {
    const result = await validate({ intakeYear });
    expect(result).toBeInstanceOf(AppError);
    expect((result as AppError).fields).toEqual([{ field: 'intakeYear', problem }]);
  });

  it('reads a page size from 1 to 200', async () => {
    expect(await validate({ limit: '1' })).toMatchObject({ limit: 1 });
    expect(await validate({ limit: '200' })).toMatchObject({ limit: 200 });
  });

  it.each(['abc', '0', '201', '2.5', '-1', '', '0x10', '99999999999999999999'])(
    'refuses limit=%s with one problem that gives the range',
    async (limit) => {
      const result = await validate({ limit });
      expect(result).toBeInstanceOf(AppError);
      expect((result as AppError).fields).toEqual([
        { field: 'limit', problem: 'must be a whole number between 1 and 200' },
      ]);
    },
  );

  it('refuses a repeated limit rather than picking one', async () => {
    const result = await validate({ limit: ['10', '20'] });
    expect((result as AppError).fields).toEqual([
      { field: 'limit', problem: 'must be a whole number between 1 and 200' },
    ]);
  });
});
