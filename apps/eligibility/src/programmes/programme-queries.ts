import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AwardRepository } from '../awards/award.repository';
import { DecisionRepository } from '../decisions/decision.repository';
import { ReevaluationJobRepository } from '../reevaluation/reevaluation-job.repository';
import { ReevaluationView, reevaluationView } from '../reevaluation/reevaluation.view';
import { CLOCK, type Clock } from '../shared/clock';
import { ProgrammeRepository } from './programme.repository';
import { programmeView, ProgrammeView } from './programme.view';
import { ProgrammeErrors } from './programmes.errors';
import { monthOf } from './year-month';

export interface ProgrammeDetailView extends ProgrammeView {
  awardsByStatus: { active: number; suspended: number; revoked: number };
  decisions: { decided: number; eligible: number; waitingForAPlace: number };
  ruleHistory: { rulesVersion: number; reason: string; changedBy: string; changedAt: string }[];
  latestEvaluation: ReevaluationView | null;
}

/** Read side of programmes: lists, one programme with its figures, and its evaluation jobs. */
@Injectable()
export class ProgrammeQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly programmes: ProgrammeRepository,
    private readonly awards: AwardRepository,
    private readonly decisions: DecisionRepository,
    private readonly jobs: ReevaluationJobRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(): Promise<ProgrammeView[]> {
    const currentMonth = monthOf(this.clock.now());
    return (await this.programmes.list(this.dataSource.manager)).map((programme) =>
      programmeView(programme, currentMonth),
    );
  }

  async get(programmeId: string): Promise<ProgrammeDetailView> {
    const manager = this.dataSource.manager;
    const programme = await this.programmes.findById(manager, programmeId);
    if (!programme) throw ProgrammeErrors.notFound(programmeId);
    const [awardsByStatus, counts, waiting, history, [latest]] = await Promise.all([
      this.awards.countByStatus(manager, programmeId),
      this.decisions.countEligible(manager, programmeId),
      this.decisions.countWaiting(manager, programme),
      this.programmes.ruleVersions(manager, programmeId),
      this.jobs.latestForProgramme(manager, programmeId, 1),
    ]);
    return {
      ...programmeView(programme, monthOf(this.clock.now())),
      awardsByStatus,
      decisions: { decided: counts.decided, eligible: counts.eligible, waitingForAPlace: waiting },
      ruleHistory: history.map((version) => ({
        rulesVersion: version.rulesVersion,
        reason: version.reason,
        changedBy: version.changedBy,
        changedAt: version.changedAt.toISOString(),
      })),
      latestEvaluation: latest ? reevaluationView(latest) : null,
    };
  }

  async evaluation(programmeId: string, jobId: string): Promise<ReevaluationView> {
    const job = await this.jobs.find(this.dataSource.manager, programmeId, jobId);
    if (!job) throw ProgrammeErrors.evaluationNotFound(programmeId, jobId);
    return reevaluationView(job);
  }

  async evaluations(programmeId: string): Promise<ReevaluationView[]> {
    const manager = this.dataSource.manager;
    if (!(await this.programmes.findById(manager, programmeId))) throw ProgrammeErrors.notFound(programmeId);
    return (await this.jobs.latestForProgramme(manager, programmeId, 20)).map(reevaluationView);
  }
}
