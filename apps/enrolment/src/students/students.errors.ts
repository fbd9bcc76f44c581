import { AppError } from '@scholarpay/platform';
import type { StudentStatus } from '@scholarpay/contracts';

/**
 * Stable codes of the students module. Messages never repeat a phone number or a national id, and
 * name the student holding one only to a caller who may read that student (`null` holder: not).
 */
export const StudentErrors = {
  notFound: (id: string) => AppError.notFound('STUDENT.NOT_FOUND', `no student has the id ${id}`),
  forbidden: () =>
    AppError.forbidden(
      'STUDENT.SCHOOL_FORBIDDEN',
      "this student's school is not one of the schools in your token",
    ),
  schoolForbidden: (code: string) =>
    AppError.forbidden('STUDENT.SCHOOL_FORBIDDEN', `school ${code} is not one of the schools in your token`),
  unknownSchool: (code: string) =>
    AppError.validation('STUDENT.UNKNOWN_SCHOOL', `no school has the code ${code}`, [
      { field: 'schoolCode', problem: `no school has the code ${code}` },
    ]),
  nationalIdTaken: (existingStudentId: string | null) =>
    existingStudentId === null
      ? AppError.conflict('STUDENT.NATIONAL_ID_TAKEN', 'this national id is already registered')
      : AppError.conflict(
          'STUDENT.NATIONAL_ID_TAKEN',
          `student ${existingStudentId} already has this national id`,
          { existingStudentId },
        ),
  phoneTaken: (holderStudentId: string | null, studentId: string | null) => {
    const holder = holderStudentId === null ? 'another active student' : `active student ${holderStudentId}`;
    const message = studentId
      ? `the phone number of student ${studentId} already belongs to ${holder}`
      : holderStudentId === null
        ? 'this phone number already belongs to another active student'
        : `the phone number already belongs to ${holder}`;
    return AppError.conflict(
      'STUDENT.PHONE_TAKEN',
      message,
      holderStudentId === null ? { studentId } : { studentId, holderStudentId },
    );
  },
  statusTransition: (from: StudentStatus, to: StudentStatus, reason: string) =>
    AppError.conflict('STUDENT.STATUS_TRANSITION_NOT_ALLOWED', reason, { from, to }),
  invalidFields: (fields: { field: string; problem: string }[]) =>
    AppError.validation(
      'REQUEST.VALIDATION_FAILED',
      `the request is invalid: ${fields.map((entry) => `${entry.field} ${entry.problem}`).join('; ')}`,
      fields,
    ),
  reasonRequired: (fields: readonly string[]) =>
    AppError.validation(
      'STUDENT.REASON_REQUIRED',
      `a change of ${fields.join(', ')} needs a reason: say why in the field reason`,
      [{ field: 'reason', problem: `is required when ${fields.join(', ')} changes: say why` }],
    ),
  nothingToChange: () =>
    AppError.validation('STUDENT.NOTHING_TO_CHANGE', 'the request names no field to change', [
      { field: '(body)', problem: 'must contain at least one field' },
    ]),
};
