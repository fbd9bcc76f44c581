export const Roles = {
  programmeAdmin: 'programme_admin',
  schoolAdmin: 'school_admin',
  financePreparer: 'finance_preparer',
  financeApprover: 'finance_approver',
  evaluator: 'evaluator',
  auditor: 'auditor',
} as const;

export type Role = (typeof Roles)[keyof typeof Roles];

export const allRoles: Role[] = Object.values(Roles);

/** Who made the request, as the verified token says. */
export interface AuthenticatedUser {
  sub: string;
  roles: Role[];
  /** The schools a school administrator may act on; empty for other roles. */
  schoolIds: string[];
}
