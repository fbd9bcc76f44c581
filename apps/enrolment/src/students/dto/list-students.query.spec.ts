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
});
