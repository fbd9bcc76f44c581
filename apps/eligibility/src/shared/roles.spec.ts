import { seesScholarIdentity } from './roles';

describe('seesScholarIdentity', () => {
  it('names scholars to programme staff, finance and auditors, not to evaluators', () => {
    expect(seesScholarIdentity(['programme_admin'])).toBe(true);
    expect(seesScholarIdentity(['auditor'])).toBe(true);
    expect(seesScholarIdentity(['finance_approver'])).toBe(true);
    expect(seesScholarIdentity(['evaluator'])).toBe(false);
    expect(seesScholarIdentity(['evaluator', 'auditor'])).toBe(true);
    expect(seesScholarIdentity(['school_admin'])).toBe(false);
  });
});
