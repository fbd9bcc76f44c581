import type { AuthenticatedUser } from '@scholarpay/auth';
import { StudentAccessPolicy } from './student-access.policy';

const user = (roles: AuthenticatedUser['roles'], schoolIds: string[] = []): AuthenticatedUser => ({
  sub: 'u',
  roles,
  schoolIds,
});

describe('StudentAccessPolicy', () => {
  it('lets a school administrator read and write only their schools', () => {
    const admin = user(['school_admin'], ['gao']);
    expect(StudentAccessPolicy.canRead(admin, 'gao')).toBe(true);
    expect(StudentAccessPolicy.canWrite(admin, 'gao')).toBe(true);
    expect(StudentAccessPolicy.canRead(admin, 'kidal')).toBe(false);
    expect(StudentAccessPolicy.canWrite(admin, 'kidal')).toBe(false);
    expect(StudentAccessPolicy.readableSchools(admin)).toEqual(['gao']);
  });

  it('lets a programme administrator do everything', () => {
    const admin = user(['programme_admin']);
    expect(StudentAccessPolicy.canWrite(admin, 'kidal')).toBe(true);
    expect(StudentAccessPolicy.readableSchools(admin)).toBe('all');
  });

  it('lets auditors read but not write', () => {
    const reader = user(['auditor']);
    expect(StudentAccessPolicy.canRead(reader, 'kidal')).toBe(true);
    expect(StudentAccessPolicy.canWrite(reader, 'kidal')).toBe(false);
    expect(StudentAccessPolicy.readableSchools(reader)).toBe('all');
  });

  it('shows evaluators every school but no student', () => {
    const evaluator = user(['evaluator']);
    expect(StudentAccessPolicy.canRead(evaluator, 'kidal')).toBe(false);
    expect(StudentAccessPolicy.canWrite(evaluator, 'kidal')).toBe(false);
    expect(StudentAccessPolicy.readableSchools(evaluator)).toEqual([]);
    expect(StudentAccessPolicy.visibleSchools(evaluator)).toBe('all');
    expect(StudentAccessPolicy.canSeeSchool(evaluator, 'kidal')).toBe(true);
    expect(StudentAccessPolicy.visibleSchools(user(['school_admin'], ['gao']))).toEqual(['gao']);
  });

  it('ignores school ids on a token without the school administrator role', () => {
    const preparer = user(['finance_preparer'], ['gao']);
    expect(StudentAccessPolicy.canRead(preparer, 'gao')).toBe(false);
    expect(StudentAccessPolicy.readableSchools(preparer)).toEqual([]);
  });
});
