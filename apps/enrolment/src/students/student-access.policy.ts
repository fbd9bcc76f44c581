import { AuthenticatedUser, Roles } from '@scholarpay/auth';

/**
 * Who may see and change which students. Programme administrators read and write every school;
 * auditors and evaluators read every school; a school administrator reads and writes only the
 * schools listed in their token.
 */
export class StudentAccessPolicy {
  static readsEverySchool(user: AuthenticatedUser): boolean {
    return user.roles.some(
      (role) => role === Roles.programmeAdmin || role === Roles.auditor || role === Roles.evaluator,
    );
  }

  static writesEverySchool(user: AuthenticatedUser): boolean {
    return user.roles.includes(Roles.programmeAdmin);
  }

  static canRead(user: AuthenticatedUser, schoolId: string): boolean {
    return this.readsEverySchool(user) || this.isSchoolAdminOf(user, schoolId);
  }

  static canWrite(user: AuthenticatedUser, schoolId: string): boolean {
    return this.writesEverySchool(user) || this.isSchoolAdminOf(user, schoolId);
  }

  /** The schools whose students a listing may show: all of them, or the token's own. */
  static readableSchools(user: AuthenticatedUser): 'all' | string[] {
    if (this.readsEverySchool(user)) return 'all';
    return user.roles.includes(Roles.schoolAdmin) ? [...user.schoolIds] : [];
  }

  private static isSchoolAdminOf(user: AuthenticatedUser, schoolId: string): boolean {
    return user.roles.includes(Roles.schoolAdmin) && user.schoolIds.includes(schoolId);
  }
}
