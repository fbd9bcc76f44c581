import { Roles, type Role } from '@scholarpay/auth';

/** Who may read programmes, decisions and awards: those who run, pay or evaluate the programme. */
export const programmeReaders: Role[] = [
  Roles.programmeAdmin,
  Roles.auditor,
  Roles.evaluator,
  Roles.financePreparer,
  Roles.financeApprover,
];

/**
 * Whether a reader may see who the scholars are (names, and award reasons, which quote enrolment's
 * status reasons). Evaluators compare pass rates on pseudonymous student ids and need neither.
 */
export function seesScholarIdentity(roles: readonly Role[]): boolean {
  return roles.some((role) => role !== Roles.evaluator && programmeReaders.includes(role));
}
