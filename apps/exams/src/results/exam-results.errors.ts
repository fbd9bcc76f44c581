import { AppError } from '@scholarpay/platform';

export const ExamResultErrors = {
  notFound: (sessionId: string, resultId: string) =>
    AppError.notFound(
      'EXAM_RESULT.NOT_FOUND',
      `exam result ${resultId} does not exist in session ${sessionId}`,
      {
        sessionId,
        resultId,
      },
    ),
  studentMissing: () =>
    AppError.validation(
      'EXAM_RESULT.STUDENT_MISSING',
      'give studentId or nationalId to say whose result this is',
      [{ field: 'studentId', problem: 'or nationalId is required' }],
    ),
  studentUnknown: (field: 'studentId' | 'nationalId') =>
    AppError.unprocessable(
      'EXAM_RESULT.STUDENT_UNKNOWN',
      `no student with this ${field} is known to the exams service; if the student was just enrolled, enrolment's event may still be on its way: retry in a moment`,
      { field },
    ),
  studentAmbiguous: () =>
    AppError.unprocessable(
      'EXAM_RESULT.STUDENT_AMBIGUOUS',
      'more than one student has this nationalId; give studentId instead',
      { field: 'nationalId' },
    ),
  studentMismatch: () =>
    AppError.validation('EXAM_RESULT.STUDENT_MISMATCH', 'studentId and nationalId name different students', [
      { field: 'nationalId', problem: 'belongs to a different student than studentId' },
    ]),
  invalidScore: (problem: string) =>
    AppError.validation('EXAM_RESULT.INVALID_SCORE', `score ${problem}`, [{ field: 'score', problem }]),
  reasonRequired: (resultId: string, revision: number) =>
    AppError.conflict(
      'EXAM_RESULT.ALREADY_RECORDED',
      'this student already has a different result in this session; to correct it, send the new values with a reason',
      { resultId, revision },
    ),
  staleRevision: (resultId: string, revision: number, expectedRevision: number) =>
    AppError.conflict(
      'EXAM_RESULT.REVISION_CHANGED',
      `the result is at revision ${revision}, not ${expectedRevision}: someone corrected it meanwhile; reload and retry`,
      { resultId, revision, expectedRevision },
    ),
  nothingToCorrect: () =>
    AppError.validation(
      'EXAM_RESULT.NOTHING_TO_CORRECT',
      'give passed or score (or both) to correct a result',
      [{ field: 'passed', problem: 'or score is required' }],
    ),
};
