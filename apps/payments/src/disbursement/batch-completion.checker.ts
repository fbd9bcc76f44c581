import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CompleteBatchUseCase } from './complete-batch.use-case';

/** At most one completion check this often while lines keep finishing. */
export const COMPLETION_CHECK_INTERVAL_MS = 200;

/**
 * Runs `check` for the batches noted since the last run, at most once per interval: the first note
 * after a quiet spell is checked at once, notes arriving during a check or within the interval of
 * the last one wait and go together. A failed check is not retried here: the poller completes any
 * disbursing batch whose lines are all final.
 */
export class ThrottledBatchCheck {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private lastRunAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly check: (batchIds: string[]) => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  note(batchIds: Iterable<string>): void {
    for (const id of batchIds) this.pending.add(id);
    this.schedule();
  }

  /** Checks what is pending now and waits for any check in flight (for shutdown). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    if (this.pending.size > 0) await this.start();
  }

  private schedule(): void {
    if (this.timer || this.running || this.pending.size === 0) return;
    const wait = Math.max(0, this.lastRunAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.start();
    }, wait);
  }

  private start(): Promise<void> {
    const batchIds = [...this.pending];
    this.pending.clear();
    this.lastRunAt = Date.now();
    this.running = this.check(batchIds).finally(() => {
      this.running = null;
      this.schedule();
    });
    return this.running;
  }
}

/**
 * Completes batches whose last lines were just written, after the writing transaction committed:
 * the check locks the batch row and reads its open lines (two round trips), so it runs a few
 * times a second for all the batches noted since, instead of inside every line-writing
 * transaction. Committed lines are what it reads, so lines finished by two writers at once are
 * both seen by the check that follows the later commit.
 */
@Injectable()
export class BatchCompletionChecker {
  private readonly logger = new Logger(BatchCompletionChecker.name);
  private readonly throttle: ThrottledBatchCheck;

  constructor(dataSource: DataSource, completion: CompleteBatchUseCase) {
    this.throttle = new ThrottledBatchCheck(async (batchIds) => {
      try {
        await dataSource.transaction((manager) => completion.completeIfDone(manager, batchIds));
      } catch (error) {
        this.logger.warn({ err: error, batchIds }, 'batch completion check failed; the poller will complete the batches');
      }
    }, COMPLETION_CHECK_INTERVAL_MS);
  }

  /** Some lines of these batches reached PAID or FAILED, and that is committed. */
  linesFinished(batchIds: Iterable<string>): void {
    this.throttle.note(batchIds);
  }

  /** Runs the pending check now (shutdown, after the last line writes). */
  async flush(): Promise<void> {
    await this.throttle.flush();
  }
}
