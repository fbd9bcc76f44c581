import { Injectable } from '@nestjs/common';
import type { OverrideEntity } from '../overrides/override.entity';
import type { ProgrammeEntity } from '../programmes/programme.entity';
import type { RuleOutcome } from '../rules/rule-explainer';
import { RuleSetCache } from '../rules/rule-set.cache';
import { studentFacts } from '../rules/student-facts';
import type { StudentRecord } from '../students/student.repository';
import { DecisionPlanner, overrideOutcome } from './decision.planner';
import type { DecisionState } from './decision.repository';

export interface ExplanationView {
  /** The rules version the outcomes below were computed with: the one in force. */
  rulesVersion: number;
  summary: string;
  outcomes: RuleOutcome[];
  /** False while the decision in force has not yet caught up with the rules or facts (a re-evaluation is on its way). */
  upToDate: boolean;
}

/**
 * A student's explanation for a programme, computed when it is read: the rules in force over the
 * student's current facts, every condition in words, and the override if one is in force. The
 * decision it explains is the stored one, which is what awards follow.
 */
@Injectable()
export class LiveExplanation {
  constructor(private readonly ruleSets: RuleSetCache) {}

  explain(
    programme: ProgrammeEntity,
    student: StudentRecord,
    decision: Pick<DecisionState, 'eligible' | 'rulesEligible' | 'overridden'> | undefined,
    override: Pick<OverrideEntity, 'decision' | 'createdBy' | 'createdAt' | 'reason'> | undefined,
  ): ExplanationView {
    const explanation = this.ruleSets.get(programme).explain(studentFacts(student));
    const outcomes = override ? [...explanation.outcomes, overrideOutcome(override)] : explanation.outcomes;
    const eligibleNow = override ? override.decision === 'eligible' : explanation.passed;
    const upToDate =
      decision !== undefined &&
      decision.rulesEligible === explanation.passed &&
      decision.eligible === eligibleNow &&
      decision.overridden === (override !== undefined);
    const live = {
      eligible: eligibleNow,
      rulesEligible: explanation.passed,
      overridden: override !== undefined,
    };
    const summary = upToDate
      ? DecisionPlanner.summary(decision, explanation.failures, override)
      : `Being decided again. Under the rules in force: ${DecisionPlanner.summary(live, explanation.failures, override)}`;
    return { rulesVersion: programme.rulesVersion, summary, outcomes, upToDate };
  }
}
