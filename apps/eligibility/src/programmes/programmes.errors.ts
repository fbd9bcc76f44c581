import { AppError, FieldProblem } from '@scholarpay/platform';

export const ProgrammeErrors = {
  notFound: (programmeId: string) =>
    AppError.notFound('PROGRAMME.NOT_FOUND', `there is no programme ${programmeId}`, { programmeId }),
  codeTaken: (code: string) =>
    AppError.conflict('PROGRAMME.CODE_TAKEN', `a programme with code ${code} already exists`, { code }),
  invalid: (fields: FieldProblem[]) =>
    AppError.validation(
      'PROGRAMME.INVALID',
      `the programme is invalid: ${fields.map((f) => `${f.field}: ${f.problem}`).join('; ')}`,
      fields,
    ),
  rulesInvalid: (fields: FieldProblem[]) =>
    AppError.validation(
      'PROGRAMME.RULES_INVALID',
      `the rules are invalid: ${fields.map((f) => `${f.field}: ${f.problem}`).join('; ')}`,
      fields,
    ),
  evaluationNotFound: (programmeId: string, jobId: string) =>
    AppError.notFound(
      'PROGRAMME.EVALUATION_NOT_FOUND',
      `programme ${programmeId} has no evaluation ${jobId}`,
      { programmeId, jobId },
    ),
};
