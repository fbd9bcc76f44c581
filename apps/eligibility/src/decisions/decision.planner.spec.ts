import type { OverrideEntity } from '../overrides/override.entity';
import type { Explanation } from '../rules/rule-explainer';
import { DecisionInput, DecisionPlanner } from './decision.planner';
import type { DecisionState } from './decision.repository';

const now = new Date('2014-09-15T10:00:00Z');
const earlier = new Date('2014-09-01T10:00:00Z');
const failing: Explanation = {
  passed: false,
  outcomes: [
    {
      path: 'all[0]',
      rule: 'intakeYear greaterThanInclusive 2013',
      passed: false,
      explanation: 'intake year 2012 is not at least 2013',
    },
  ],
  failures: ['intake year 2012 is not at least 2013'],
};
const passing: Explanation = {
  passed: true,
  outcomes: [
    {
      path: 'all[0]',
      rule: 'intakeYear greaterThanInclusive 2013',
      passed: true,
      explanation: 'intake year 2014 is at least 2013',
    },
  ],
  failures: [],
};

function previous(overrides: Partial<DecisionState> = {}): DecisionState {
  return {
    programmeId: 'p',
    studentId: 's',
    decisionId: 'decision-1',
    eligible: true,
    rulesEligible: true,
    overridden: false,
    rulesVersion: 1,
    decidedAt: earlier,
    eligibleSince: earlier,
    ...overrides,
  };
}

function plan(input: Partial<DecisionInput> & { explanation?: Explanation }) {
  let explained = 0;
  const explanation = input.explanation ?? (input.rulesEligible === false ? failing : passing);
  const result = DecisionPlanner.plan({
    programmeId: 'p',
    studentId: 's',
    rulesVersion: 2,
    rulesEligible: true,
    previous: undefined,
    override: undefined,
    now,
    newId: () => 'decision-2',
    ...input,
    explain: () => {
      explained++;
      return explanation;
    },
  });
  return { ...result, explained };
}

const override = (decision: 'eligible' | 'ineligible'): OverrideEntity =>
  ({
    overrideId: 'o',
    programmeId: 'p',
    studentId: 's',
    decision,
    reason: 'displaced by the conflict',
    createdBy: 'admin-1',
    createdAt: earlier,
    supersededAt: null,
  }) as OverrideEntity;

describe('DecisionPlanner', () => {
  it('publishes a first decision, with its explanation', () => {
    const result = plan({ rulesEligible: false });
    expect(result).toMatchObject({
      changed: true,
      becameEligible: false,
      becameIneligible: false,
      explained: 1,
    });
    expect(result.write).toMatchObject({
      decisionId: 'decision-2',
      eligible: false,
      overridden: false,
      rulesVersion: 2,
      decidedAt: now,
      eligibleSince: null,
      failures: failing.failures,
    });
  });

  it('leaves a decision that stands alone, without computing its explanation', () => {
    const result = plan({ rulesEligible: true, previous: previous() });
    expect(result).toMatchObject({ changed: false, write: null, explained: 0, state: previous() });
  });

  it('publishes a change of verdict under a new id and keeps the waiting-list position of someone still eligible', () => {
    const lost = plan({ rulesEligible: false, previous: previous() });
    expect(lost).toMatchObject({
      changed: true,
      becameIneligible: true,
      write: { decisionId: 'decision-2', eligible: false, eligibleSince: null },
    });
    const regained = plan({
      rulesEligible: true,
      previous: previous({ eligible: false, rulesEligible: false, eligibleSince: null }),
    });
    expect(regained).toMatchObject({
      changed: true,
      becameEligible: true,
      write: { eligible: true, eligibleSince: now },
    });
  });

  it('counts a student eligible from the instant given (a re-evaluation job\'s), not from when their chunk ran', () => {
    const requested = new Date('2014-09-15T09:00:00Z');
    expect(plan({ rulesEligible: true, eligibleFrom: requested }).write).toMatchObject({
      decidedAt: now,
      eligibleSince: requested,
    });
    // Someone already eligible keeps their place on the list.
    expect(
      plan({ rulesEligible: true, previous: previous({ rulesEligible: false }), eligibleFrom: requested })
        .write,
    ).toMatchObject({ eligibleSince: earlier });
  });

  it('lets an override decide, and lists it among the outcomes', () => {
    const forced = plan({
      rulesEligible: false,
      previous: previous({ eligible: false, rulesEligible: false, eligibleSince: null }),
      override: override('eligible'),
    });
    expect(forced).toMatchObject({
      changed: true,
      becameEligible: true,
      write: { eligible: true, rulesEligible: false, overridden: true },
    });
    expect(forced.write!.outcomes.at(-1)).toEqual({
      path: 'override',
      rule: 'override',
      passed: true,
      explanation: 'forced eligible by admin-1 on 2014-09-01: displaced by the conflict',
    });
  });

  it('refreshes silently what the rules alone say under an override, without publishing', () => {
    const result = plan({
      rulesEligible: true,
      previous: previous({ eligible: false, rulesEligible: false, overridden: true, eligibleSince: null }),
      override: override('ineligible'),
    });
    expect(result).toMatchObject({
      changed: false,
      write: { decisionId: 'decision-1', eligible: false, rulesEligible: true, decidedAt: earlier },
    });
  });

  it('says the decision in words', () => {
    expect(DecisionPlanner.summary({ eligible: true, rulesEligible: true, overridden: false }, [])).toBe(
      'Eligible: every rule is met.',
    );
    expect(
      DecisionPlanner.summary({ eligible: false, rulesEligible: false, overridden: false }, failing.failures),
    ).toBe('Not eligible: intake year 2012 is not at least 2013.');
    expect(
      DecisionPlanner.summary(
        { eligible: true, rulesEligible: false, overridden: true },
        failing.failures,
        override('eligible'),
      ),
    ).toBe(
      'Eligible by override of admin-1 on 2014-09-01 ("displaced by the conflict"); the rules alone say not eligible: intake year 2012 is not at least 2013.',
    );
  });
});
