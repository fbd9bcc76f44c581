import { Inject, Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@scholarpay/auth';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AwardCounts } from '../awards/award-book';
import { AwardCapacity } from '../awards/award-capacity';
import { AwardRepository } from '../awards/award.repository';
import { DecisionRepository } from '../decisions/decision.repository';
import { EligibilityDecider } from '../decisions/eligibility-decider';
import { LiveExplanation } from '../decisions/live-explanation';
import { ProgrammeRepository } from '../programmes/programme.repository';
import { ProgrammeErrors } from '../programmes/programmes.errors';
import { monthOf } from '../programmes/year-month';
import { ReevaluationJobRepository } from '../reevaluation/reevaluation-job.repository';
import { CLOCK, type Clock } from '../shared/clock';
import { StudentRepository } from '../students/student.repository';
import type { CreateOverrideDto } from './dto/create-override.dto';
import { OverrideEntity } from './override.entity';
import { OverrideRepository } from './override.repository';
import { OverrideErrors } from './overrides.errors';

export interface OverrideResultView {
  override: {
    overrideId: string;
    programmeId: string;
    studentId: string;
    decision: string;
    reason: string;
    createdBy: string;
    createdAt: string;
  };
  replaced: {
    overrideId: string;
    decision: string;
    reason: string;
    createdBy: string;
    createdAt: string;
  } | null;
  decision: {
    decisionId: string;
    eligible: boolean;
    rulesEligible: boolean;
    overridden: boolean;
    summary: string;
  };
  award: { awardId: string; status: string; version: number; firstMonth: string; lastMonth: string } | null;
  /** Eligible and enrolled but without an award: why (as in the student's eligibility). */
  waiting: string | null;
  awardChanges: AwardCounts;
}

/**
 * A programme administrator forces a student eligible or ineligible, with a reason. The override is
 * kept (who, when, why; an earlier one is kept too, marked superseded), appears in the student's
 * explanation, and the student is decided again at once: an award may be made or revoked.
 */
@Injectable()
export class RecordOverrideUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly students: StudentRepository,
    private readonly programmes: ProgrammeRepository,
    private readonly overrides: OverrideRepository,
    private readonly decisions: DecisionRepository,
    private readonly awards: AwardRepository,
    private readonly jobs: ReevaluationJobRepository,
    private readonly decider: EligibilityDecider,
    private readonly explanations: LiveExplanation,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(
    programmeId: string,
    command: CreateOverrideDto,
    user: AuthenticatedUser,
  ): Promise<OverrideResultView> {
    const studentId = command.studentId.toLowerCase();
    return this.dataSource.transaction(async (manager) => {
      // The programme's lock first: a student event changing this student waits for it, then decides
      // again from what this transaction commits.
      const programme = await this.programmes.lock(manager, programmeId);
      if (!programme) throw ProgrammeErrors.notFound(programmeId);
      const student = await this.students.findById(manager, studentId);
      if (!student) throw OverrideErrors.studentNotFound(studentId);
      const override = Object.assign(new OverrideEntity(), {
        overrideId: randomUUID(),
        programmeId,
        studentId,
        decision: command.decision,
        reason: command.reason.trim(),
        createdBy: user.sub,
        createdAt: this.clock.now(),
        supersededAt: null,
      });
      const replaced = await this.overrides.supersedeAndRecord(manager, override);
      const busy = (await this.jobs.programmesBeingReevaluated(manager)).has(programmeId);
      const summary = await this.decider.decideStudents(
        manager,
        programme,
        [student],
        { cause: 'override', actor: user.sub },
        { grant: busy ? 'later' : 'now' },
      );
      const decision = (await this.decisions.findForStudents(manager, programmeId, [studentId])).get(
        studentId,
      )!;
      const awards = (await this.awards.findForStudent(manager, studentId)).filter(
        (entry) => entry.programmeId === programmeId,
      );
      const award = awards.find((entry) => entry.status !== 'revoked') ?? null;
      const waiting =
        decision.eligible && !award && student.status === 'enrolled'
          ? AwardCapacity.waitingReason(
              AwardCapacity.available(
                programme,
                programme,
                monthOf(this.clock.now()),
                AwardCapacity.coveredThrough(awards),
              ),
              busy,
            )
          : null;
      return {
        override: {
          overrideId: override.overrideId,
          programmeId,
          studentId,
          decision: override.decision,
          reason: override.reason,
          createdBy: override.createdBy,
          createdAt: override.createdAt.toISOString(),
        },
        replaced: replaced
          ? {
              overrideId: replaced.overrideId,
              decision: replaced.decision,
              reason: replaced.reason,
              createdBy: replaced.createdBy,
              createdAt: new Date(replaced.createdAt).toISOString(),
            }
          : null,
        decision: {
          decisionId: decision.decisionId,
          eligible: decision.eligible,
          rulesEligible: decision.rulesEligible,
          overridden: decision.overridden,
          summary: this.explanations.explain(programme, student, decision, override).summary,
        },
        award: award
          ? {
              awardId: award.awardId,
              status: award.status,
              version: award.version,
              firstMonth: award.firstMonth,
              lastMonth: award.lastMonth,
            }
          : null,
        waiting,
        awardChanges: summary.awards,
      };
    });
  }
}
