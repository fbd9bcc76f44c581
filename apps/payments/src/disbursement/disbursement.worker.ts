import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { closeAllBullMqWithin, logRedisErrors, redisConnectionOptions, SERVICE_CONFIG } from '@scholarpay/platform';
import { Job, Queue, Worker } from 'bullmq';
import type { PaymentsConfig } from '../payments.config';
import { AdvancePayoutLineUseCase, Directive } from './advance-payout-line.use-case';
import { AdvanceLinesJobData, BOUNDED_BACKOFF, DISBURSEMENT_QUEUE, DisbursementQueue, lineIdsOf } from './disbursement.queue';
import { followUpAfterGroup } from './line-groups.rules';
import { recheckDelay } from './payout-line.decisions';
import { PollDueLinesUseCase } from './poll-due-lines.use-case';
import { ResumeDisbursementUseCase } from './resume-disbursement.use-case';

export const POLLER_QUEUE = 'payments-poller';

/** BullMQ honours a manual rate limit only when the worker has a limiter; "unlimited" is a very high one. */
const UNLIMITED_PER_SECOND = 1_000_000;

/** A failed job's log line names at most this many of its lines (a group holds 25 by default). */
const MAX_LOGGED_LINE_IDS = 50;

/**
 * The consumer side: a concurrent, rate-limited BullMQ worker running jobs of lines (each line of a
 * job side by side), the poller on a job scheduler, and the boot-time resume. `PAYMENTS_DISBURSEMENT_WORKER=false` runs an
 * instance that serves the API only.
 */
@Injectable()
export class DisbursementWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DisbursementWorker.name);
  private worker: Worker<AdvanceLinesJobData> | null = null;
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
    const { workerConcurrency, jobsPerSecond } = this.queue.grouping;
    this.worker = new Worker<AdvanceLinesJobData>(DISBURSEMENT_QUEUE, (job) => this.process(job), {
      connection,
      concurrency: workerConcurrency,
      limiter: { max: jobsPerSecond ?? UNLIMITED_PER_SECOND, duration: 1000 },
      lockDuration: this.config.PAYMENTS_JOB_LOCK_MS,
      stalledInterval: this.config.PAYMENTS_JOB_LOCK_MS,
      // A job whose process died is simply run again: every run starts from the lines' recorded state.
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
    // Rate-limited: while Redis is away, BullMQ reports every reconnection attempt.
    logRedisErrors(this.worker, { connection: 'disbursement worker', logger: this.logger, message: 'disbursement worker error' });
    this.worker.on('failed', (job, error) => {
      // The job keeps only the lines still to retry: name them, so that an operator can find each one.
      const lineIds = job ? lineIdsOf(job.data) : [];
      this.logger.warn(
        { lines: lineIds.length, lineIds: lineIds.slice(0, MAX_LOGGED_LINE_IDS), attempts: job?.attemptsMade, err: error },
        'line job failed; it will be retried or picked up by the poller',
      );
    });

    this.pollerQueue = new Queue(POLLER_QUEUE, { connection });
    logRedisErrors(this.pollerQueue, { connection: 'poller queue', logger: this.logger, message: 'poller queue error' });
    await this.pollerQueue.upsertJobScheduler(
      'poll-due-lines',
      { every: this.config.PAYMENTS_POLL_INTERVAL_MS },
      { name: 'poll-due-lines', opts: { removeOnComplete: true, removeOnFail: true } },
    );
    this.pollerWorker = new Worker(POLLER_QUEUE, async () => this.poller.execute(), { connection, concurrency: 1 });
    logRedisErrors(this.pollerWorker, { connection: 'poller worker', logger: this.logger, message: 'poller worker error' });
    this.pollerWorker.on('failed', (_job, error) => this.logger.warn({ err: error }, 'poller pass failed; the next one retries'));

    // Resuming does not hold up the boot: the HTTP API is available meanwhile.
    this.resuming = this.resume.execute().catch((error: unknown) => this.logger.error({ err: error }, 'resume failed; the poller will catch up'));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.resuming;
    // Bounded, so that an unreachable Redis cannot hold the shutdown; a line job cut short runs
    // again from its line's recorded state.
    await closeAllBullMqWithin([this.worker, this.pollerWorker, this.pollerQueue], { logger: this.logger });
  }

  private async process(job: Job<AdvanceLinesJobData>): Promise<void> {
    const results = await Promise.all(lineIdsOf(job.data).map(async (lineId) => ({ lineId, directive: await this.advanceOne(lineId) })));
    const followUp = followUpAfterGroup(results);
    // Rechecks are queued before this job finishes: a crash in between runs the whole job again.
    for (const { delayMs, lineIds } of followUp.rechecks) await this.queue.recheckLater(lineIds, delayMs);
    if (followUp.again.length === 0) return;
    // Only the lines that need it are run again; the others have moved on.
    await job.updateData({ lineIds: followUp.again });
    if (followUp.rateLimitMs !== null) {
      // The provider asked us to slow down: the whole queue waits Retry-After, then this job runs again.
      await this.queue.queue.rateLimit(followUp.rateLimitMs);
      throw Worker.RateLimitError();
    }
    throw new Error(followUp.retryReason ?? 'lines left to retry');
  }

  /** One line's run; a failure of that line alone (say its database write) retries it, not its neighbours. */
  private async advanceOne(lineId: string): Promise<Directive> {
    try {
      return await this.advance.execute(lineId);
    } catch (error) {
      this.logger.warn({ lineId, err: error }, 'line run failed; it will be retried');
      return { kind: 'retry', reason: error instanceof Error ? error.message : String(error) };
    }
  }
}
