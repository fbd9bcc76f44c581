import { Inject, Injectable, Logger } from '@nestjs/common';
import { SERVICE_CONFIG } from '@scholarpay/platform';
import { DataSource, EntityManager } from 'typeorm';
import { AwardBook } from '../awards/award-book';
import { EligibilityDecider } from '../decisions/eligibility-decider';
import { StandingRepository } from '../decisions/standing.repository';
import type { EligibilityConfig } from '../eligibility.config';
import { ProgrammeRepository } from '../programmes/programme.repository';
import { StudentRepository } from '../students/student.repository';
import { ReevaluationJobEntity } from './reevaluation-job.entity';
import { ReevaluationJobRepository } from './reevaluation-job.repository';

export type StepOutcome = 'continue' | 'completed' | 'superseded' | 'failed' | 'missing';

/**
 * Runs a re-evaluation job as a sequence of short transactions. Phase `deciding` takes the next
 * chunk of students (keyset over student id), decides them and moves the cursor, all in one
 * transaction; phase `awarding` fills the programme's places in ranking order, a chunk at a time.
 * Because each step commits its effects, its events (outbox) and the job's cursor together, a job
 * interrupted anywhere (crash, deploy) resumes from its last committed step and publishes nothing
 * twice. A job whose rules version is no longer the programme's is superseded and stops.
 */
@Injectable()
export class ReevaluationRunner {
  private readonly logger = new Logger(ReevaluationRunner.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: ReevaluationJobRepository,
    private readonly students: StudentRepository,
    private readonly standings: StandingRepository,
    private readonly programmes: ProgrammeRepository,
    private readonly decider: EligibilityDecider,
    private readonly awardBook: AwardBook,
    @Inject(SERVICE_CONFIG) private readonly config: EligibilityConfig,
  ) {}

  /** Runs the job to its end, or until `shouldStop` says so between two steps. */
  async run(jobId: string, shouldStop: () => boolean = () => false): Promise<StepOutcome> {
    for (;;) {
      if (shouldStop()) return 'continue';
      const outcome = await this.dataSource.transaction((manager) => this.step(manager, jobId));
      if (outcome !== 'continue') {
        this.logger.log({ jobId, outcome }, 're-evaluation finished');
        return outcome;
      }
    }
  }

  async step(manager: EntityManager, jobId: string): Promise<StepOutcome> {
    const job = await this.jobs.lock(manager, jobId);
    if (!job) return 'missing';
    if (job.status === 'completed' || job.status === 'superseded' || job.status === 'failed')
      return job.status;
    const programme = await this.programmes.lock(manager, job.programmeId);
    if (!programme) {
      job.status = 'failed';
      job.error = 'the programme no longer exists';
      return this.finish(manager, job, 'failed');
    }
    if (programme.rulesVersion !== job.rulesVersion) {
      job.status = 'superseded';
      job.error = `rules version ${programme.rulesVersion} replaced version ${job.rulesVersion} before this job finished`;
      return this.finish(manager, job, 'superseded');
    }
    const chunk =
      job.phase === 'deciding'
        ? await this.standings.nextChunk(
            manager,
            job.programmeId,
            job.cursor,
            this.config.REEVALUATION_CHUNK_SIZE,
          )
        : [];
    if (job.status === 'queued') {
      job.status = 'running';
      job.startedAt = new Date();
      job.total = await this.students.count(manager);
    }

    if (job.phase === 'deciding') {
      if (chunk.length === 0) {
        job.phase = 'awarding';
        // Thousands of decisions were just written: fresh statistics keep the ranked waiting-list
        // query on a good plan (a stale estimate turns it into a nested loop over every student).
        await manager.query('ANALYZE students, decisions, awards');
        await this.jobs.save(manager, job);
        return 'continue';
      }
      const summary = await this.decider.decide(
        manager,
        programme,
        chunk,
        { cause: job.cause, actor: job.requestedBy },
        // Everyone this job finds eligible became so when its rules took effect: they tie on
        // "first eligible" and are ranked by enrolment, whatever chunk (student-id range) they fall in.
        { grant: 'later', eligibleFrom: job.requestedAt },
      );
      job.cursor = chunk[chunk.length - 1].student.studentId;
      job.processed += chunk.length;
      job.total = Math.max(job.total, job.processed);
      job.chunks++;
      job.decisionsChanged += summary.decisionsChanged;
      job.becameEligible += summary.becameEligible;
      job.becameIneligible += summary.becameIneligible;
      job.awardsSuspended += summary.awards.suspend;
      job.awardsReinstated += summary.awards.reinstate;
      job.awardsRevoked += summary.awards.revoke;
      await this.jobs.save(manager, job);
      return 'continue';
    }

    const granted = await this.awardBook.fillVacancies(
      manager,
      programme,
      job.requestedBy,
      this.config.REEVALUATION_CHUNK_SIZE,
    );
    job.awardsGranted += granted;
    if (granted > 0) {
      job.chunks++;
      await this.jobs.save(manager, job);
      return 'continue';
    }
    job.phase = 'done';
    job.status = 'completed';
    return this.finish(manager, job, 'completed');
  }

  private async finish(
    manager: EntityManager,
    job: ReevaluationJobEntity,
    outcome: StepOutcome,
  ): Promise<StepOutcome> {
    job.finishedAt = new Date();
    await this.jobs.save(manager, job);
    return outcome;
  }
}
