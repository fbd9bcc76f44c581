import { AwardPolicy, AwardSituation } from './award.policy';

function decide(situation: Partial<AwardSituation>) {
  return AwardPolicy.decide({
    studentStatus: 'enrolled',
    eligible: true,
    overrideDecision: null,
    award: null,
    ...situation,
  });
}

describe('AwardPolicy', () => {
  it('makes an eligible enrolled student without an award a candidate', () => {
    expect(decide({})).toEqual({ kind: 'candidate' });
    expect(decide({ award: 'active' })).toEqual({ kind: 'none' });
    expect(decide({ eligible: false })).toEqual({ kind: 'none' });
  });

  it('follows the student status: suspended suspends, back to enrolled reinstates, withdrawn revokes', () => {
    expect(decide({ studentStatus: 'suspended', eligible: false, award: 'active' })).toEqual({
      kind: 'suspend',
      cause: 'student_suspended',
    });
    expect(decide({ studentStatus: 'suspended', award: 'suspended' })).toEqual({ kind: 'none' });
    expect(decide({ studentStatus: 'enrolled', award: 'suspended' })).toEqual({
      kind: 'reinstate',
      cause: 'student_returned',
    });
    expect(decide({ studentStatus: 'withdrawn', eligible: false, award: 'active' })).toEqual({
      kind: 'revoke',
      cause: 'student_withdrawn',
    });
    expect(decide({ studentStatus: 'withdrawn', award: 'suspended' })).toEqual({
      kind: 'revoke',
      cause: 'student_withdrawn',
    });
  });

  it('does not turn a suspension into a revocation because the rules require enrolment', () => {
    // Rules saying "status is enrolled" make a suspended student ineligible; the award is only suspended.
    expect(decide({ studentStatus: 'suspended', eligible: false, award: 'active' }).kind).toBe('suspend');
  });

  it('leaves a graduate’s award to run to its last month', () => {
    expect(decide({ studentStatus: 'graduated', eligible: false, award: 'active' })).toEqual({
      kind: 'none',
    });
    expect(decide({ studentStatus: 'graduated', eligible: true, award: null })).toEqual({ kind: 'none' });
  });

  it('revokes an enrolled student’s award when the student is no longer eligible, and stays final', () => {
    expect(decide({ eligible: false, award: 'active' })).toEqual({
      kind: 'revoke',
      cause: 'no_longer_eligible',
    });
    expect(decide({ eligible: false, award: 'suspended' })).toEqual({
      kind: 'revoke',
      cause: 'no_longer_eligible',
    });
  });

  it('applies an ineligible override whatever the status, and an eligible one like any eligible decision', () => {
    for (const studentStatus of ['enrolled', 'suspended', 'graduated', 'withdrawn'] as const) {
      expect(
        decide({ studentStatus, eligible: false, overrideDecision: 'ineligible', award: 'active' }),
      ).toEqual({ kind: 'revoke', cause: 'override' });
    }
    expect(decide({ eligible: false, overrideDecision: 'ineligible', award: null })).toEqual({
      kind: 'none',
    });
    expect(decide({ eligible: true, overrideDecision: 'eligible', award: null })).toEqual({
      kind: 'candidate',
    });
    expect(
      decide({ studentStatus: 'withdrawn', eligible: true, overrideDecision: 'eligible', award: 'active' }),
    ).toEqual({ kind: 'revoke', cause: 'student_withdrawn' });
  });
});
