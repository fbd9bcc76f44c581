import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventTypes } from '@scholarpay/contracts';
import { OutboxPublisher, type OutgoingEvent } from '@scholarpay/messaging';
import { MetricsService } from '@scholarpay/platform';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AwardBook, AwardChange, AwardCounts, noAwardChanges } from '../awards/award-book';
import { AwardPolicy, AwardCause } from '../awards/award.policy';
import { AwardReasons, StatusChangeContext } from '../awards/award.reasons';
import type { OverrideEntity } from '../overrides/override.entity';
import type { ProgrammeEntity } from '../programmes/programme.entity';
import type { CompiledRuleSet } from '../rules/compiled-rule-set';
import type { Explanation } from '../rules/rule-explainer';
import { RuleSetCache } from '../rules/rule-set.cache';
import { StudentFacts, studentFacts } from '../rules/student-facts';
import { CLOCK, type Clock } from '../shared/clock';
import type { StudentRecord } from '../students/student.repository';
import { DecisionCause, DecisionPlanner } from './decision.planner';
import { DecisionHistoryRecord, DecisionRecord, DecisionRepository } from './decision.repository';
import { Standing, StandingRepository } from './standing.repository';

/** Batches at least this large are screened before the engine decides (see `verdicts`). */
const SCREEN_FROM = 16;

/** What set a decision off, and who is answerable for what it changes. */
export interface DecisionTrigger {
  cause: DecisionCause;
  /** `system` for event-driven decisions, the person otherwise (override, rules change). */
  actor: string;
  /** When enrolment changed a student's status: its reason and author, quoted in award reasons. */
  statusChanges?: Map<string, StatusChangeContext>;
}

export interface DecisionSummary {
  evaluated: number;
  decisionsChanged: number;
  becameEligible: number;
  becameIneligible: number;
  awards: AwardCounts;
  /** Students eligible and enrolled without an award after this call (before any filling). */
  candidates: number;
}

/**
 * Decides students for one programme: evaluates the rules (json-rules-engine, one engine per rule
 * set), applies any override, records and publishes new decisions, and moves awards as the award
 * policy says. New awards are made here only when `grant` is `now` (one student at a time: first
 * come, first served); a batch defers them to a ranked filling of the waiting list. The caller
 * holds the programme's lock: every writer of a programme's decisions and awards does.
 */
@Injectable()
export class EligibilityDecider {
  private readonly logger = new Logger(EligibilityDecider.name);
  private readonly decided;
  private readonly disagreements;

  constructor(
    private readonly decisions: DecisionRepository,
    private readonly standings: StandingRepository,
    private readonly awardBook: AwardBook,
    private readonly ruleSets: RuleSetCache,
    private readonly outbox: OutboxPublisher,
    @Inject(CLOCK) private readonly clock: Clock,
    metrics: MetricsService,
  ) {
    this.decided = metrics.counter(
      'eligibility_decisions_published_total',
      'Eligibility decisions published',
      ['eligible'],
    );
    this.disagreements = metrics.counter(
      'eligibility_explanation_disagreements_total',
      'Explanations or screened verdicts that differed from json-rules-engine (the engine is followed)',
    );
  }

  /** Decides students the caller has loaded (one by one: events, overrides). */
  async decideStudents(
    manager: EntityManager,
    programme: ProgrammeEntity,
    students: StudentRecord[],
    trigger: DecisionTrigger,
    options: { grant: 'now' | 'later' },
  ): Promise<DecisionSummary> {
    return this.decide(
      manager,
      programme,
      await this.standings.of(manager, programme.programmeId, students),
      trigger,
      options,
    );
  }

  /**
   * `eligibleFrom`: when the students who become eligible in this call count as eligible from (default
   * now); a re-evaluation job passes the moment its rules took effect, the same for every chunk.
   */
  async decide(
    manager: EntityManager,
    programme: ProgrammeEntity,
    standings: Standing[],
    trigger: DecisionTrigger,
    options: { grant: 'now' | 'later'; eligibleFrom?: Date },
  ): Promise<DecisionSummary> {
    const summary: DecisionSummary = {
      evaluated: standings.length,
      decisionsChanged: 0,
      becameEligible: 0,
      becameIneligible: 0,
      awards: noAwardChanges(),
      candidates: 0,
    };
    if (standings.length === 0) return summary;
    const now = this.clock.now();
    const compiled = this.ruleSets.get(programme);
    const facts = standings.map((standing) => studentFacts(standing.student));
    const verdicts = await this.verdicts(programme, compiled, standings, facts);

    const writes: DecisionRecord[] = [];
    const history: DecisionHistoryRecord[] = [];
    const events: OutgoingEvent[] = [];
    const awardChanges: AwardChange[] = [];

    standings.forEach(({ student, decision: previous, override, award }, index) => {
      let explanation: Explanation | null = null;
      const explain = (): Explanation => {
        if (!explanation) {
          explanation = compiled.explain(facts[index]);
          if (explanation.passed !== verdicts[index]) this.reportDisagreement(programme, student.studentId);
        }
        return explanation;
      };
      const planned = DecisionPlanner.plan({
        programmeId: programme.programmeId,
        studentId: student.studentId,
        rulesVersion: programme.rulesVersion,
        rulesEligible: verdicts[index],
        explain,
        previous,
        override,
        now,
        eligibleFrom: options.eligibleFrom,
        newId: randomUUID,
      });
      if (planned.write) writes.push(planned.write);
      if (planned.changed && planned.write) {
        summary.decisionsChanged++;
        history.push({ ...planned.write, cause: trigger.cause, decidedBy: trigger.actor });
        events.push(decidedEvent(programme, planned.write));
        this.decided.inc({ eligible: String(planned.write.eligible) });
      }
      if (planned.becameEligible) summary.becameEligible++;
      if (planned.becameIneligible) summary.becameIneligible++;

      const action = AwardPolicy.decide({
        studentStatus: student.status,
        eligible: planned.state.eligible,
        overrideDecision: override?.decision ?? null,
        award: award ? (award.status as 'active' | 'suspended') : null,
      });
      if (action.kind === 'candidate') summary.candidates++;
      if (award && (action.kind === 'suspend' || action.kind === 'reinstate' || action.kind === 'revoke')) {
        awardChanges.push({
          award,
          transition: action.kind,
          reason: AwardReasons.forChange(action.cause, {
            programmeCode: programme.code,
            statusChange: trigger.statusChanges?.get(student.studentId) ?? null,
            override: override ? { createdBy: override.createdBy, reason: override.reason } : null,
            failures: action.cause === 'no_longer_eligible' ? explain().failures : [],
            rulesChange: trigger.cause === 'rules_changed' ? { rulesVersion: programme.rulesVersion } : null,
          }),
          changedBy: changedBy(action.cause, trigger, override),
        });
      }
    });

    await this.decisions.saveAll(manager, writes);
    await this.decisions.recordHistory(manager, history);
    await this.outbox.publishAll(manager, events);
    const changed = await this.awardBook.change(manager, programme, awardChanges);
    summary.awards = changed;
    if (options.grant === 'now' && (summary.candidates > 0 || changed.revoke > 0)) {
      summary.awards.grant += await this.awardBook.fillVacancies(manager, programme, trigger.actor);
    }
    return summary;
  }

  /**
   * json-rules-engine's verdict for every student whose decision could change. One by one, the
   * engine runs for each. In a batch, the compiled screen (the same conditions over the engine's own
   * operators) finds the students whose verdict differs from the one stored; the engine decides each
   * of those, and a student whose screened verdict matches the stored one keeps it, unwritten.
   */
  private async verdicts(
    programme: ProgrammeEntity,
    compiled: CompiledRuleSet,
    standings: Standing[],
    facts: StudentFacts[],
  ): Promise<boolean[]> {
    if (standings.length <= SCREEN_FROM) return compiled.decideAll(facts);
    const verdicts = facts.map((entry) => compiled.screen(entry));
    const toDecide = standings.flatMap((standing, index) =>
      standing.decision && standing.decision.rulesEligible === verdicts[index] ? [] : [index],
    );
    const decided = await compiled.decideAll(toDecide.map((index) => facts[index]));
    toDecide.forEach((index, position) => {
      if (decided[position] !== verdicts[index]) {
        this.reportDisagreement(programme, standings[index].student.studentId);
        verdicts[index] = decided[position];
      }
    });
    return verdicts;
  }

  private reportDisagreement(programme: ProgrammeEntity, studentId: string): void {
    this.disagreements.inc();
    this.logger.error(
      { programmeId: programme.programmeId, studentId, rulesVersion: programme.rulesVersion },
      'the explanation or the screen disagrees with json-rules-engine; the engine decides',
    );
  }
}

/** Status-driven changes follow enrolment's events: the system made them. A person answers for the rest. */
function changedBy(
  cause: AwardCause,
  trigger: DecisionTrigger,
  override: OverrideEntity | undefined,
): string {
  switch (cause) {
    case 'override':
      return override?.createdBy ?? trigger.actor;
    case 'student_suspended':
    case 'student_returned':
    case 'student_withdrawn':
      return 'system';
    case 'no_longer_eligible':
      return trigger.actor;
  }
}

function decidedEvent(
  programme: ProgrammeEntity,
  decision: DecisionRecord,
): OutgoingEvent<typeof EventTypes.eligibilityDecided> {
  return {
    type: EventTypes.eligibilityDecided,
    subject: decision.studentId,
    data: {
      decisionId: decision.decisionId,
      programmeId: programme.programmeId,
      programmeCode: programme.code,
      studentId: decision.studentId,
      eligible: decision.eligible,
      overridden: decision.overridden,
      outcomes: decision.outcomes.map((outcome) => ({
        rule: outcome.path === 'override' ? 'override' : `${outcome.path} ${outcome.rule}`,
        passed: outcome.passed,
        explanation: outcome.explanation,
      })),
      decidedAt: decision.decidedAt.toISOString(),
    },
  };
}
