import type { OverrideEntity } from '../overrides/override.entity';
import type { Explanation, RuleOutcome } from '../rules/rule-explainer';
import type { DecisionRecord, DecisionState } from './decision.repository';

export type DecisionCause = 'student_event' | 'override' | 'rules_changed' | 'programme_created';

export interface PlannedDecision {
  /** The decision in force after this plan (written or not). */
  state: DecisionState;
  /** The row to store, when something stored changes; null when the stored decision stands. */
  write: DecisionRecord | null;
  /** A new decision (first, or `eligible` / `overridden` changed): it has a new id and is published. */
  changed: boolean;
  becameEligible: boolean;
  becameIneligible: boolean;
}

export interface DecisionInput {
  programmeId: string;
  studentId: string;
  rulesVersion: number;
  /** json-rules-engine's verdict on the student's facts. */
  rulesEligible: boolean;
  /** The explanation, computed only when a decision is written (most students of a re-evaluation keep theirs). */
  explain: () => Explanation;
  previous: DecisionState | undefined;
  override: OverrideEntity | undefined;
  now: Date;
  /**
   * When a student who becomes eligible now counts as eligible from (default `now`). A re-evaluation
   * job gives every student it decides the same instant, so none ranks ahead of another for being
   * decided in an earlier chunk.
   */
  eligibleFrom?: Date;
  newId: () => string;
}

/**
 * Turns the rules' verdict (and an override, if one is in force) into the student's decision and
 * says whether it is new. A decision is new when it is the first, or when `eligible` or `overridden`
 * changes: only then is it published and kept in the history. When only what the rules alone say
 * changes under an override, the row is refreshed silently. A decision that stands is not rewritten:
 * its explanation is computed afresh, against the rules in force, whenever someone reads it.
 */
export class DecisionPlanner {
  static plan(input: DecisionInput): PlannedDecision {
    const { previous, override, now } = input;
    const eligible = override ? override.decision === 'eligible' : input.rulesEligible;
    const overridden = override !== undefined;
    const changed = !previous || previous.eligible !== eligible || previous.overridden !== overridden;
    const becameEligible = eligible && (!previous || !previous.eligible);
    const becameIneligible = !eligible && previous?.eligible === true;
    if (!changed && previous.rulesEligible === input.rulesEligible) {
      return { state: previous, write: null, changed: false, becameEligible, becameIneligible };
    }
    const explanation = input.explain();
    const state: DecisionState = {
      programmeId: input.programmeId,
      studentId: input.studentId,
      decisionId: changed ? input.newId() : previous.decisionId,
      eligible,
      rulesEligible: input.rulesEligible,
      overridden,
      rulesVersion: input.rulesVersion,
      decidedAt: changed ? now : previous.decidedAt,
      eligibleSince: eligible
        ? previous?.eligible && previous.eligibleSince
          ? previous.eligibleSince
          : (input.eligibleFrom ?? now)
        : null,
    };
    return {
      state,
      write: {
        ...state,
        outcomes: override ? [...explanation.outcomes, overrideOutcome(override)] : explanation.outcomes,
        failures: explanation.failures,
      },
      changed,
      becameEligible,
      becameIneligible,
    };
  }

  /** The decision in words, for the start of an explanation. */
  static summary(
    decision: Pick<DecisionState, 'eligible' | 'rulesEligible' | 'overridden'>,
    failures: string[],
    override?: Pick<OverrideEntity, 'createdBy' | 'createdAt' | 'reason'>,
  ): string {
    if (decision.overridden && override) {
      const rules = decision.rulesEligible
        ? 'the rules alone say eligible'
        : `the rules alone say not eligible: ${failures.join('; ')}`;
      return `${decision.eligible ? 'Eligible' : 'Not eligible'} by override of ${override.createdBy} on ${new Date(override.createdAt).toISOString().slice(0, 10)} ("${override.reason}"); ${rules}.`;
    }
    return decision.eligible ? 'Eligible: every rule is met.' : `Not eligible: ${failures.join('; ')}.`;
  }
}

export function overrideOutcome(
  override: Pick<OverrideEntity, 'decision' | 'createdBy' | 'createdAt' | 'reason'>,
): RuleOutcome {
  return {
    path: 'override',
    rule: 'override',
    passed: override.decision === 'eligible',
    explanation: `forced ${override.decision} by ${override.createdBy} on ${new Date(override.createdAt).toISOString().slice(0, 10)}: ${override.reason}`,
  };
}
