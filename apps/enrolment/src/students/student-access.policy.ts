import { AuthenticatedUser, Roles } from '@scholarpay/auth';

/**
 * Who may see and change which students. Programme administrators read and write every school;
 * auditors read every school; a school administrator reads and writes only the schools listed in
 * their token. Evaluators read no student: a record holds the phone stipends are paid to, the
 * national id, the birth date and why a status changed, and pass rates need none of it (exams keeps
 * the pseudonymous data they compare). Schools themselves are nobody's personal data, so
 * evaluators see every school.
 */
export class StudentAccessPolicy {
  static readsEverySchool(user: AuthenticatedUser): boolean {
    return user.roles.some((role) => role === Roles.programmeAdmin || role === Roles.auditor);
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

  /** The schools (not their students) a user may see: evaluators compare every school. */
  static visibleSchools(user: AuthenticatedUser): 'all' | string[] {
    return user.roles.includes(Roles.evaluator) ? 'all' : this.readableSchools(user);
  }

  static canSeeSchool(user: AuthenticatedUser, schoolId: string): boolean {
    const visible = this.visibleSchools(user);
    return visible === 'all' || visible.includes(schoolId);
  }

  private static isSchoolAdminOf(user: AuthenticatedUser, schoolId: string): boolean {
    return user.roles.includes(Roles.schoolAdmin) && user.schoolIds.includes(schoolId);
  }
}
