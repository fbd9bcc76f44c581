import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { redisConnectionOptions, SERVICE_CONFIG } from '@scholarpay/platform';
import { Job, Queue } from 'bullmq';
import type { PaymentsConfig } from '../payments.config';
import { chunks } from '../shared/sql';

export const DISBURSEMENT_QUEUE = 'payments-disbursement';
export const ADVANCE_LINE_JOB = 'advance-line';

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

export interface AdvanceLineJobData {
  lineId: string;
}

/**
 * The producer side of the disbursement queue. One job per line, whose id IS the line id: while a
 * job for a line is waiting, delayed or active, asking for another one changes nothing, so the
 * boot-time resume, the poller and callbacks can all ask freely.
 */
@Injectable()
export class DisbursementQueue implements OnApplicationShutdown {
  readonly queue: Queue<AdvanceLineJobData>;

  constructor(@Inject(SERVICE_CONFIG) config: PaymentsConfig) {
    this.queue = new Queue<AdvanceLineJobData>(DISBURSEMENT_QUEUE, {
      connection: redisConnectionOptions(config.REDIS_URL),
      defaultJobOptions: {
        // Every run starts from the line's recorded state, so retrying is always safe; a job that
        // still fails after these is dropped and the poller queues the line again later.
        attempts: 30,
        backoff: { type: BOUNDED_BACKOFF },
        // Finished jobs are removed so a later request for the same line (a callback, the poller) can add one again.
        removeOnComplete: true,
        removeOnFail: true,
      },
    });
  }

  /** `first-send` for a batch's lines as it starts disbursing; `overdue` for lines the poller found. */
  async enqueue(lineIds: readonly string[], reason: 'first-send' | 'overdue'): Promise<void> {
    const priority = reason === 'first-send' ? FIRST_SEND_PRIORITY : CONFIRMATION_PRIORITY;
    for (const part of chunks(lineIds, 1000)) {
      await this.queue.addBulk(
        part.map((lineId) => ({
          name: ADVANCE_LINE_JOB,
          data: { lineId },
          opts: { jobId: lineId, priority },
        })),
      );
    }
  }

  /**
   * Something happened to a line (a callback): run its job now. A job waiting for its next status
   * query (delayed) is brought forward; a job still running (the callback beat our own record of
   * the send) is waited for, since it is about to park itself or finish; no job: a new one.
   */
  async wake(lineId: string, patienceMs = 3000): Promise<'promoted' | 'added' | 'queued' | 'busy'> {
    // The common case (a parked job) costs one round trip: promote, which only succeeds on a delayed job.
    const handle = new Job<AdvanceLineJobData>(this.queue, ADVANCE_LINE_JOB, { lineId }, {}, lineId);
    const deadline = Date.now() + patienceMs;
    for (;;) {
      try {
        await handle.promote();
        return 'promoted';
      } catch {
        // Not delayed (or gone): see what it is.
      }
      const state = await this.queue.getJobState(lineId);
      if (state === 'unknown') {
        await this.queue.add(ADVANCE_LINE_JOB, { lineId }, { jobId: lineId });
        return 'added';
      }
      if (state === 'waiting' || state === 'prioritized') return 'queued';
      if (state !== 'delayed') {
        if (Date.now() > deadline) return 'busy';
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}

@Module({
  providers: [DisbursementQueue],
  exports: [DisbursementQueue],
})
export class DisbursementQueueModule {}
