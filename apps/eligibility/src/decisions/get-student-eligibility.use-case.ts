import { Inject, Injectable } from '@nestjs/common';
import { Roles, type AuthenticatedUser } from '@scholarpay/auth';
import { AppError } from '@scholarpay/platform';
import { DataSource } from 'typeorm';
import { AwardCapacity } from '../awards/award-capacity';
import { AwardRepository } from '../awards/award.repository';
import { OverrideRepository } from '../overrides/override.repository';
import { OverrideErrors } from '../overrides/overrides.errors';
import { ProgrammeRepository } from '../programmes/programme.repository';
import { monthOf } from '../programmes/year-month';
import { ReevaluationJobRepository } from '../reevaluation/reevaluation-job.repository';
import { studentFacts, StudentFacts } from '../rules/student-facts';
import { CLOCK, type Clock } from '../shared/clock';
import { programmeReaders } from '../shared/roles';
import { StudentRepository } from '../students/student.repository';
import { DecisionRepository } from './decision.repository';
import { ExplanationView, LiveExplanation } from './live-explanation';

export interface ProgrammeEligibilityView {
  programmeId: string;
  code: string;
  name: string;
  rulesVersion: number;
  /** The decision in force (what awards follow), as last made. */
  decision: {
    decisionId: string;
    eligible: boolean;
    rulesEligible: boolean;
    overridden: boolean;
    decidedAt: string;
    /** The rules version it was made under. */
    rulesVersion: number;
  } | null;
  /** Why, in words: the rules in force over the student's current facts, every condition's outcome. */
  explanation: ExplanationView;
  /** Why there is no decision yet, when there is none. */
  pending: string | null;
  override: {
    overrideId: string;
    decision: string;
    reason: string;
    createdBy: string;
    createdAt: string;
  } | null;
  award: {
    awardId: string;
    status: string;
    version: number;
    monthlyStipend: number;
    firstMonth: string;
    lastMonth: string;
    awardedAt: string;
    history: {
      version: number;
      transition: string;
      fromStatus: string | null;
      toStatus: string;
      reason: string;
      changedBy: string;
      changedAt: string;
    }[];
  } | null;
  /** Eligible and enrolled but without an award: why. */
  waiting: string | null;
  earlierAwards: {
    awardId: string;
    status: string;
    awardedAt: string;
    statusReason: string;
    statusChangedBy: string;
    statusChangedAt: string;
  }[];
}

export interface StudentEligibilityView {
  studentId: string;
  studentVersion: number;
  status: string;
  facts: StudentFacts;
  programmes: ProgrammeEligibilityView[];
}

/**
 * A student's standing in every programme: the decision with each rule's outcome in words, the
 * override if one is in force, the award with its history, or why they are waiting for one.
 */
@Injectable()
export class GetStudentEligibilityUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly students: StudentRepository,
    private readonly programmes: ProgrammeRepository,
    private readonly decisions: DecisionRepository,
    private readonly overrides: OverrideRepository,
    private readonly awards: AwardRepository,
    private readonly jobs: ReevaluationJobRepository,
    private readonly explanations: LiveExplanation,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(studentId: string, user: AuthenticatedUser): Promise<StudentEligibilityView> {
    const manager = this.dataSource.manager;
    const student = await this.students.findById(manager, studentId);
    if (!student) throw OverrideErrors.studentNotFound(studentId);
    const readsEverything = user.roles.some((role) => programmeReaders.includes(role));
    if (
      !readsEverything &&
      !(user.roles.includes(Roles.schoolAdmin) && user.schoolIds.includes(student.schoolId))
    ) {
      throw AppError.forbidden(
        'STUDENT.NOT_YOUR_SCHOOL',
        "a school administrator sees only their own schools' students",
      );
    }
    const [programmes, decisions, overrides, awards, busy] = await Promise.all([
      this.programmes.list(manager),
      this.decisions.findForStudent(manager, studentId),
      this.overrides.historyOfStudent(manager, studentId),
      this.awards.findForStudent(manager, studentId),
      this.jobs.programmesBeingReevaluated(manager),
    ]);
    const transitions = await this.awards.transitionsOf(
      manager,
      awards.filter((award) => award.status !== 'revoked').map((award) => award.awardId),
    );
    const currentMonth = monthOf(this.clock.now());

    return {
      studentId,
      studentVersion: student.version,
      status: student.status,
      facts: studentFacts(student),
      programmes: programmes.map((programme) => {
        const decision = decisions.find((entry) => entry.programmeId === programme.programmeId);
        const override = overrides.find(
          (entry) => entry.programmeId === programme.programmeId && entry.supersededAt === null,
        );
        const live = awards.find(
          (entry) => entry.programmeId === programme.programmeId && entry.status !== 'revoked',
        );
        const earlier = awards.filter(
          (entry) => entry.programmeId === programme.programmeId && entry.status === 'revoked',
        );
        const waiting =
          decision?.eligible && !live && student.status === 'enrolled'
            ? AwardCapacity.waitingReason(
                AwardCapacity.available(
                  programme,
                  programme,
                  currentMonth,
                  AwardCapacity.coveredThrough(earlier),
                ),
                busy.has(programme.programmeId),
              )
            : null;
        return {
          programmeId: programme.programmeId,
          code: programme.code,
          name: programme.name,
          rulesVersion: programme.rulesVersion,
          decision: decision
            ? {
                decisionId: decision.decisionId,
                eligible: decision.eligible,
                rulesEligible: decision.rulesEligible,
                overridden: decision.overridden,
                decidedAt: new Date(decision.decidedAt).toISOString(),
                rulesVersion: decision.rulesVersion,
              }
            : null,
          explanation: this.explanations.explain(programme, student, decision, override),
          pending: decision
            ? null
            : 'not decided yet: the programme is deciding every student in the background',
          override: override
            ? {
                overrideId: override.overrideId,
                decision: override.decision,
                reason: override.reason,
                createdBy: override.createdBy,
                createdAt: new Date(override.createdAt).toISOString(),
              }
            : null,
          award: live
            ? {
                awardId: live.awardId,
                status: live.status,
                version: live.version,
                monthlyStipend: live.monthlyStipend,
                firstMonth: live.firstMonth,
                lastMonth: live.lastMonth,
                awardedAt: live.awardedAt.toISOString(),
                history: transitions
                  .filter((transition) => transition.awardId === live.awardId)
                  .map((transition) => ({
                    version: transition.version,
                    transition: transition.transition,
                    fromStatus: transition.fromStatus,
                    toStatus: transition.toStatus,
                    reason: transition.reason,
                    changedBy: transition.changedBy,
                    changedAt: new Date(transition.changedAt).toISOString(),
                  })),
              }
            : null,
          waiting,
          earlierAwards: earlier.map((award) => ({
            awardId: award.awardId,
            status: award.status,
            awardedAt: award.awardedAt.toISOString(),
            statusReason: award.statusReason,
            statusChangedBy: award.statusChangedBy,
            statusChangedAt: award.statusChangedAt.toISOString(),
          })),
        };
      }),
    };
  }
}
