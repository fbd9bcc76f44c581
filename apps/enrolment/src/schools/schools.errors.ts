import { AppError } from '@scholarpay/platform';

export const SchoolErrors = {
  codeTaken: (code: string, schoolId: string) =>
    AppError.conflict('SCHOOL.CODE_TAKEN', `a school with the code ${code} already exists`, { schoolId }),
  notFound: (id: string) => AppError.notFound('SCHOOL.NOT_FOUND', `no school has the id ${id}`),
  forbidden: () =>
    AppError.forbidden('SCHOOL.FORBIDDEN', 'this school is not one of the schools in your token'),
};
