import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import {
  closeAllBullMqWithin,
  logRedisErrors,
  redisConnectionOptions,
  SERVICE_CONFIG,
} from '@scholarpay/platform';
import { DelayedError, Job, Queue, Worker } from 'bullmq';
import { DataSource } from 'typeorm';
import type { EligibilityConfig } from '../eligibility.config';
import { ReevaluationJobRepository } from './reevaluation-job.repository';
import { ReevaluationRunner } from './reevaluation.runner';

export const REEVALUATION_QUEUE = 'eligibility-reevaluation';
const SWEEP_INTERVAL_MS = 60000;

interface ReevaluationJobData {
  jobId: string;
}

/**
 * Re-evaluation jobs on BullMQ. The database row is the truth about a job (its cursor, its counts);
 * BullMQ carries it to a worker, retries it with backoff when a step fails, and hands it to another
 * worker when its worker dies (stalled-job detection). A sweep re-dispatches jobs the database says
 * are unfinished but Redis has lost. On shutdown the running job stops between two steps and goes
 * back to the queue, to resume where it stopped.
 */
@Injectable()
export class ReevaluationQueue implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReevaluationQueue.name);
  private queue: Queue<ReevaluationJobData> | null = null;
  private worker: Worker<ReevaluationJobData> | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    private readonly runner: ReevaluationRunner,
    private readonly jobs: ReevaluationJobRepository,
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: EligibilityConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const connection = redisConnectionOptions(this.config.REDIS_URL);
    const prefix = this.config.BULLMQ_PREFIX;
    this.queue = new Queue<ReevaluationJobData>(REEVALUATION_QUEUE, { connection, prefix });
    this.worker = new Worker<ReevaluationJobData>(
      REEVALUATION_QUEUE,
      (job, token) => this.process(job, token),
      {
        connection,
        prefix,
        concurrency: this.config.REEVALUATION_CONCURRENCY,
        lockDuration: this.config.REEVALUATION_LOCK_MS,
        stalledInterval: this.config.REEVALUATION_LOCK_MS,
        maxStalledCount: this.config.REEVALUATION_ATTEMPTS,
      },
    );
    this.worker.on('failed', (job, error) => void this.onFailed(job, error));
    // Rate-limited: while Redis is away, BullMQ reports every reconnection attempt.
    logRedisErrors(this.queue, {
      connection: 're-evaluation queue',
      logger: this.logger,
      message: 're-evaluation queue error',
    });
    logRedisErrors(this.worker, {
      connection: 're-evaluation worker',
      logger: this.logger,
      message: 're-evaluation worker error',
    });
    await this.sweep();
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.sweeper) clearInterval(this.sweeper);
    // The running job stops between two steps and goes back to the queue; bounded, so an unreachable
    // Redis cannot hold the shutdown (a job left running is picked up again once its lock expires).
    await closeAllBullMqWithin([this.worker, this.queue], { logger: this.logger });
  }

  /** Hands a job (already committed in the database) to the workers. Safe to call twice. */
  async dispatch(jobId: string): Promise<void> {
    if (!this.queue) throw new Error('the re-evaluation queue is not started');
    await this.queue.add(
      'reevaluate',
      { jobId },
      {
        jobId,
        attempts: this.config.REEVALUATION_ATTEMPTS,
        backoff: { type: 'exponential', delay: 2000 },
        removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
        removeOnFail: { age: 30 * 24 * 3600 },
      },
    );
  }

  /** Dispatches a job after its transaction committed; if Redis is unavailable now, the sweep will. */
  async dispatchOrLeaveToSweep(jobId: string): Promise<void> {
    try {
      await this.dispatch(jobId);
    } catch (error) {
      this.logger.warn({ err: error, jobId }, 're-evaluation job not queued yet; the sweep will queue it');
    }
  }

  private async process(job: Job<ReevaluationJobData>, token?: string): Promise<string> {
    const outcome = await this.runner.run(job.data.jobId, () => this.stopping);
    if (outcome === 'continue') {
      // Stopping: back to the queue without using up an attempt; the next worker resumes at the cursor.
      await job.moveToDelayed(Date.now() + 1000, token);
      throw new DelayedError();
    }
    return outcome;
  }

  private async onFailed(job: Job<ReevaluationJobData> | undefined, error: Error): Promise<void> {
    if (!job) return;
    const attempts = job.opts.attempts ?? 1;
    const final = job.attemptsMade >= attempts || /stalled more than allowable limit/.test(error.message);
    this.logger.error(
      { err: error, jobId: job.data.jobId, attempt: job.attemptsMade, final },
      're-evaluation step failed',
    );
    if (final) {
      await this.jobs
        .markFailed(this.dataSource.manager, job.data.jobId, error.message)
        .catch((failure: unknown) =>
          this.logger.error({ err: failure, jobId: job.data.jobId }, 'could not mark the job failed'),
        );
    }
  }

  private async sweep(): Promise<void> {
    if (this.stopping || !this.queue) return;
    try {
      for (const jobId of await this.jobs.unfinishedJobIds(this.dataSource.manager)) {
        if (!(await this.queue.getJob(jobId))) {
          this.logger.warn(
            { jobId },
            'unfinished re-evaluation job missing from the queue; dispatching it again',
          );
          await this.dispatch(jobId);
        }
      }
    } catch (error) {
      this.logger.warn({ err: error }, 're-evaluation sweep failed');
    }
  }
}
