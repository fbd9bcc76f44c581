import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { redisConnectionOptions, SERVICE_CONFIG } from '@scholarpay/platform';
import { DelayedError, Job, Queue, Worker } from 'bullmq';
import type { PaymentsConfig } from '../payments.config';
import { AdvancePayoutLineUseCase } from './advance-payout-line.use-case';
import {
  AdvanceLineJobData,
  BOUNDED_BACKOFF,
  CONFIRMATION_PRIORITY,
  DISBURSEMENT_QUEUE,
  DisbursementQueue,
} from './disbursement.queue';
import { recheckDelay } from './payout-line.decisions';
import { PollDueLinesUseCase } from './poll-due-lines.use-case';
import { ResumeDisbursementUseCase } from './resume-disbursement.use-case';

export const POLLER_QUEUE = 'payments-poller';

/** BullMQ honours a manual rate limit only when the worker has a limiter; "unlimited" is a very high one. */
const UNLIMITED_PER_SECOND = 1_000_000;

/**
 * The consumer side: a concurrent, rate-limited BullMQ worker running each line's job, the poller
 * on a job scheduler, and the boot-time resume. `PAYMENTS_DISBURSEMENT_WORKER=false` runs an
 * instance that serves the API only.
 */
@Injectable()
export class DisbursementWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DisbursementWorker.name);
  private worker: Worker<AdvanceLineJobData> | null = null;
  private pollerQueue: Queue | null = null;
  private pollerWorker: Worker | null = null;
  private resuming: Promise<unknown> | null = null;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: PaymentsConfig,
    private readonly queue: DisbursementQueue,
    private readonly advance: AdvancePayoutLineUseCase,
    private readonly poller: PollDueLinesUseCase,
    private readonly resume: ResumeDisbursementUseCase,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.PAYMENTS_DISBURSEMENT_WORKER) return;
    const connection = redisConnectionOptions(this.config.REDIS_URL);
    const rate = this.config.PAYMENTS_PROVIDER_RATE_PER_SECOND;
    this.worker = new Worker<AdvanceLineJobData>(DISBURSEMENT_QUEUE, (job, token) => this.process(job, token), {
      connection,
      concurrency: this.config.PAYMENTS_DISBURSEMENT_CONCURRENCY,
      limiter: { max: rate > 0 ? rate : UNLIMITED_PER_SECOND, duration: 1000 },
      lockDuration: this.config.PAYMENTS_JOB_LOCK_MS,
      stalledInterval: this.config.PAYMENTS_JOB_LOCK_MS,
      // A job whose process died is simply run again: every run starts from the line's recorded state.
      maxStalledCount: 1000,
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string) => {
          if (type !== BOUNDED_BACKOFF) throw new Error(`unknown backoff type ${type}`);
          return recheckDelay(attemptsMade - 1, {
            unknownRecheckMs: this.config.PAYMENTS_UNKNOWN_RECHECK_MS,
            maxRecheckDelayMs: this.config.PAYMENTS_MAX_RECHECK_DELAY_MS,
            statusCheckAfterMs: this.config.PAYMENTS_STATUS_CHECK_AFTER_MS,
            resendDelayMs: this.config.PAYMENTS_RESEND_DELAY_MS,
          });
        },
      },
    });
    this.worker.on('error', (error) => this.logger.warn({ err: error }, 'disbursement worker error'));
    this.worker.on('failed', (job, error) =>
      this.logger.warn({ lineId: job?.data.lineId, attempts: job?.attemptsMade, err: error }, 'line job failed; it will be retried or picked up by the poller'),
    );

    this.pollerQueue = new Queue(POLLER_QUEUE, { connection });
    await this.pollerQueue.upsertJobScheduler(
      'poll-due-lines',
      { every: this.config.PAYMENTS_POLL_INTERVAL_MS },
      { name: 'poll-due-lines', opts: { removeOnComplete: true, removeOnFail: true } },
    );
    this.pollerWorker = new Worker(POLLER_QUEUE, async () => this.poller.execute(), { connection, concurrency: 1 });
    this.pollerWorker.on('error', (error) => this.logger.warn({ err: error }, 'poller worker error'));
    this.pollerWorker.on('failed', (_job, error) => this.logger.warn({ err: error }, 'poller pass failed; the next one retries'));

    // Resuming does not hold up the boot: the HTTP API is available meanwhile.
    this.resuming = this.resume.execute().catch((error: unknown) => this.logger.error({ err: error }, 'resume failed; the poller will catch up'));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.resuming;
    await this.worker?.close();
    await this.pollerWorker?.close();
    await this.pollerQueue?.close();
  }

  private async process(job: Job<AdvanceLineJobData>, token?: string): Promise<void> {
    const directive = await this.advance.execute(job.data.lineId);
    switch (directive.kind) {
      case 'done':
        return;
      case 'recheck':
        // From now on the line's job is a confirmation: ahead of the batch's first sends.
        if (job.priority !== CONFIRMATION_PRIORITY) await job.changePriority({ priority: CONFIRMATION_PRIORITY });
        await job.moveToDelayed(Date.now() + directive.delayMs, token);
        throw new DelayedError();
      case 'rate_limited':
        // The provider asked us to slow down: the whole queue waits Retry-After, then this job runs again.
        await this.queue.queue.rateLimit(directive.retryAfterMs);
        throw Worker.RateLimitError();
      case 'retry':
        throw new Error(directive.reason);
    }
  }
}
