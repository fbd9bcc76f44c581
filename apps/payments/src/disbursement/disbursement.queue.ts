import { Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { closeAllBullMqWithin, Coalescer, logRedisErrors, redisConnectionOptions, SERVICE_CONFIG } from '@scholarpay/platform';
import { Queue } from 'bullmq';
import type { PaymentsConfig } from '../payments.config';
import { chunks } from '../shared/sql';
import { LineGrouping, lineGrouping } from './line-groups.rules';

export const DISBURSEMENT_QUEUE = 'payments-disbursement';
export const ADVANCE_LINES_JOB = 'advance-lines';

/** Retries wait twice as long each time, up to a ceiling (see DisbursementWorker's backoffStrategy). */
export const BOUNDED_BACKOFF = 'payments-bounded-exponential';

/**
 * BullMQ serves jobs without a priority (0) before prioritized ones. First sends are queued with a
 * priority, so a line already sent (its confirmation, a callback, an overdue poll) is never stuck
 * behind the rest of a large batch's first sends: money already moved is confirmed, booked and
 * texted first. Lower numbers win; any positive number keeps the sends in FIFO order among themselves.
 */
export const FIRST_SEND_PRIORITY = 1;
export const CONFIRMATION_PRIORITY = 0;

export interface AdvanceLinesJobData {
  lineIds: string[];
  /** A job queued by a version that ran one line per job. */
  lineId?: string;
}

/** The lines a job is about, whichever version queued it. */
export function lineIdsOf(data: AdvanceLinesJobData): string[] {
  return data.lineIds ?? (data.lineId ? [data.lineId] : []);
}

const JOBS_PER_ADD = 500;

/**
 * The producer side of the disbursement queue: jobs of up to `groupSize` lines (see
 * line-groups.rules.ts). A line may be in two jobs at once (a callback arrives while a recheck is
 * parked): that costs a status query, never a payment, since every run starts from the line's
 * recorded state, moves it only from that state, and sends only under the line's own reference.
 */
@Injectable()
export class DisbursementQueue implements OnApplicationShutdown {
  private readonly logger = new Logger(DisbursementQueue.name);
  readonly queue: Queue<AdvanceLinesJobData>;
  readonly grouping: LineGrouping;
  private readonly confirmations: Coalescer<string, void>;

  constructor(@Inject(SERVICE_CONFIG) config: PaymentsConfig) {
    this.grouping = lineGrouping({
      concurrency: config.PAYMENTS_DISBURSEMENT_CONCURRENCY,
      ratePerSecond: config.PAYMENTS_PROVIDER_RATE_PER_SECOND,
      maxGroupSize: config.PAYMENTS_DISBURSEMENT_GROUP_SIZE,
    });
    this.queue = new Queue<AdvanceLinesJobData>(DISBURSEMENT_QUEUE, {
      connection: redisConnectionOptions(config.REDIS_URL),
      defaultJobOptions: {
        // Every run starts from the lines' recorded state, so retrying is always safe; a job that
        // still fails after these is dropped and the poller queues its lines again later.
        attempts: 30,
        backoff: { type: BOUNDED_BACKOFF },
        removeOnComplete: true,
        removeOnFail: true,
      },
    });
    logRedisErrors(this.queue, { connection: 'disbursement queue', logger: this.logger, message: 'disbursement queue error' });
    // Callbacks that arrive together are confirmed by one job (one Redis round trip).
    this.confirmations = new Coalescer((lineIds) => this.add(lineIds, { priority: CONFIRMATION_PRIORITY }).then(() => lineIds.map(() => undefined)), {
      maxBatch: this.grouping.groupSize * 20,
      maxConcurrent: 2,
    });
  }

  /** `first-send` for a batch's lines as it starts disbursing; `overdue` for lines the poller found. */
  async enqueue(lineIds: readonly string[], reason: 'first-send' | 'overdue'): Promise<void> {
    await this.add(lineIds, { priority: reason === 'first-send' ? FIRST_SEND_PRIORITY : CONFIRMATION_PRIORITY });
  }

  /** Runs these lines again after `delayMs` (their next status query), unless something brings them forward. */
  async recheckLater(lineIds: readonly string[], delayMs: number): Promise<void> {
    await this.add(lineIds, { priority: CONFIRMATION_PRIORITY, delay: delayMs });
  }

  /** Something happened to a line (a callback): a job runs it soon. Resolves once that job is queued. */
  confirm(lineId: string): Promise<void> {
    return this.confirmations.submit(lineId);
  }

  private async add(lineIds: readonly string[], opts: { priority: number; delay?: number }): Promise<void> {
    // A line named twice (duplicated callbacks arriving together) is run once.
    const jobs = chunks([...new Set(lineIds)], this.grouping.groupSize).map((group) => ({
      name: ADVANCE_LINES_JOB,
      data: { lineIds: group },
      opts,
    }));
    for (const part of chunks(jobs, JOBS_PER_ADD)) await this.queue.addBulk(part);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.confirmations.idle();
    await closeAllBullMqWithin([this.queue], { logger: this.logger });
  }
}

@Module({
  providers: [DisbursementQueue],
  exports: [DisbursementQueue],
})
export class DisbursementQueueModule {}
