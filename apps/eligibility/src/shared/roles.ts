import { Roles, type Role } from '@scholarpay/auth';

/** Who may read programmes, decisions and awards: those who run, pay or evaluate the programme. */
export const programmeReaders: Role[] = [
  Roles.programmeAdmin,
  Roles.auditor,
  Roles.evaluator,
  Roles.financePreparer,
  Roles.financeApprover,
];
