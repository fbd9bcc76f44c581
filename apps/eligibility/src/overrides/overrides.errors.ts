import { AppError } from '@scholarpay/platform';

export const OverrideErrors = {
  studentNotFound: (studentId: string) =>
    AppError.notFound(
      'STUDENT.NOT_FOUND',
      `eligibility knows no student ${studentId} (students arrive from enrolment's events; a new one may take a moment)`,
      { studentId },
    ),
};
