import { AppError } from '@scholarpay/platform';

export const ExamSessionErrors = {
  notFound: (sessionId: string) =>
    AppError.notFound('EXAM_SESSION.NOT_FOUND', `exam session ${sessionId} does not exist`, { sessionId }),
  codeTaken: (code: string) =>
    AppError.conflict('EXAM_SESSION.CODE_TAKEN', `an exam session with code "${code}" already exists`, {
      code,
    }),
};
