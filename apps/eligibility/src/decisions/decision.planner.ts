import type { OverrideEntity } from '../overrides/override.entity';
import type { RuleEvaluation } from '../rules/compiled-rule-set';
import type { RuleOutcome } from '../rules/rule-explainer';
import type { DecisionRecord } from './decision.repository';

export type DecisionCause = 'student_event' | 'override' | 'rules_changed' | 'programme_created';

export interface PlannedDecision {
  record: DecisionRecord;
  /** A new decision (first, or eligible/overridden changed): it gets a new id and is published. */
  changed: boolean;
  /** Something stored differs (a changed decision, or only its explanation): the row is written. */
  write: boolean;
  becameEligible: boolean;
  becameIneligible: boolean;
}

export interface DecisionInput {
  programmeId: string;
  studentId: string;
  rulesVersion: number;
  evaluation: RuleEvaluation;
  previous: DecisionRecord | undefined;
  override: OverrideEntity | undefined;
  now: Date;
  newId: () => string;
}

/**
 * Turns a rule evaluation (and an override, if one is in force) into the student's decision, and
 * says whether it is new. A decision is new when it is the first, or when `eligible` or `overridden`
 * changes: only then is it published. When only the words change (the rules changed but the verdict
 * did not, or a fact changed without changing the verdict) the stored explanation is refreshed
 * silently, so what a reader sees always matches the rules in force.
 */
export class DecisionPlanner {
  static plan(input: DecisionInput): PlannedDecision {
    const { evaluation, previous, override, now } = input;
    const eligible = override ? override.decision === 'eligible' : evaluation.eligible;
    const overridden = override !== undefined;
    const outcomes = override ? [...evaluation.outcomes, overrideOutcome(override)] : evaluation.outcomes;
    const changed = !previous || previous.eligible !== eligible || previous.overridden !== overridden;
    const record: DecisionRecord = {
      programmeId: input.programmeId,
      studentId: input.studentId,
      decisionId: changed ? input.newId() : previous.decisionId,
      eligible,
      rulesEligible: evaluation.eligible,
      overridden,
      outcomes,
      failures: evaluation.failures,
      rulesVersion: input.rulesVersion,
      decidedAt: changed ? now : previous.decidedAt,
      eligibleSince: eligible ? (previous?.eligible && previous.eligibleSince ? previous.eligibleSince : now) : null,
    };
    const write =
      changed ||
      previous.rulesEligible !== record.rulesEligible ||
      previous.rulesVersion !== record.rulesVersion ||
      JSON.stringify(previous.outcomes) !== JSON.stringify(record.outcomes) ||
      JSON.stringify(previous.failures) !== JSON.stringify(record.failures);
    return {
      record,
      changed,
      write,
      becameEligible: eligible && (!previous || !previous.eligible),
      becameIneligible: !eligible && previous?.eligible === true,
    };
  }

  /** The decision in words, for the start of an explanation. */
  static summary(decision: Pick<DecisionRecord, 'eligible' | 'rulesEligible' | 'overridden' | 'failures'>, override?: OverrideEntity): string {
    if (decision.overridden && override) {
      const rules = decision.rulesEligible ? 'the rules alone say eligible' : `the rules alone say not eligible: ${decision.failures.join('; ')}`;
      return `${decision.eligible ? 'Eligible' : 'Not eligible'} by override of ${override.createdBy} on ${override.createdAt.toISOString().slice(0, 10)} ("${override.reason}"); ${rules}.`;
    }
    return decision.eligible ? 'Eligible: every rule is met.' : `Not eligible: ${decision.failures.join('; ')}.`;
  }
}

export function overrideOutcome(override: OverrideEntity): RuleOutcome {
  return {
    path: 'override',
    rule: 'override',
    passed: override.decision === 'eligible',
    explanation: `forced ${override.decision} by ${override.createdBy} on ${override.createdAt.toISOString().slice(0, 10)}: ${override.reason}`,
  };
}
