import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import {
  closeAllBullMqWithin,
  HealthCheckRegistry,
  logRedisErrors,
  redisConnectionOptions,
  SERVICE_CONFIG,
} from '@scholarpay/platform';
import { Job, Queue, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import { describeDatabaseError } from '../common/database-errors';
import type { EnrolmentConfig } from '../enrolment.config';
import { ProcessStudentImportUseCase } from './process-student-import.use-case';
import { StudentImportRepository } from './student-import.repository';

export const IMPORT_QUEUE = 'enrolment-imports';

interface ImportJobData {
  importId: string;
}

/** With the backoff below, a run keeps trying for about 20 minutes (a database restart, a failover). */
const ATTEMPTS = 8;
const SWEEP_INTERVAL_MS = 60_000;
/**
 * The BullMQ queue that runs imports. A job is just the import id: the file and the progress are in
 * Postgres, so a job that dies with its process (its lock expires, BullMQ hands it to a live
 * worker) or is stopped at shutdown (put back in the queue between two batches) resumes where the
 * last committed batch ended. A periodic sweep re-queues imports whose job was lost (Redis flushed,
 * or down when the file was uploaded).
 */
@Injectable()
export class StudentImportJobs implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(StudentImportJobs.name);
  private queue: Queue<ImportJobData> | null = null;
  private worker: Worker<ImportJobData> | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: EnrolmentConfig,
    private readonly processImport: ProcessStudentImportUseCase,
    private readonly imports: StudentImportRepository,
    health: HealthCheckRegistry,
  ) {
    health.register('import-worker', async () => {
      if (!this.worker?.isRunning()) throw new Error('the CSV import worker is not running');
    });
  }

  onApplicationBootstrap(): void {
    const connection = redisConnectionOptions(this.config.REDIS_URL);
    const prefix = this.config.IMPORT_QUEUE_PREFIX;
    this.queue = new Queue<ImportJobData>(IMPORT_QUEUE, { connection, prefix });
    logRedisErrors(this.queue, {
      connection: 'import queue',
      logger: this.logger,
      message: 'import queue connection problem',
    });
    this.worker = new Worker<ImportJobData>(IMPORT_QUEUE, (job, token) => this.run(job, token), {
      connection,
      prefix,
      concurrency: this.config.IMPORT_CONCURRENCY,
      maxStalledCount: 3,
    });
    logRedisErrors(this.worker, {
      connection: 'import worker',
      logger: this.logger,
      message: 'import worker connection problem',
    });
    this.worker.on('failed', (job, error) => void this.onFailed(job, error));
    void this.sweep();
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.sweeper) clearInterval(this.sweeper);
    // Waits for the running batch; the job then goes back to the queue and resumes on the next start.
    // Bounded, so an unreachable Redis cannot hold the shutdown: an unfinished job is picked up again
    // once its lock expires.
    await closeAllBullMqWithin([this.worker, this.queue], { logger: this.logger });
  }

  /** Queues the import; gives up after a few seconds (Redis away) and leaves it to the sweep. */
  async enqueue(importId: string, timeoutMs = 5000): Promise<void> {
    if (!this.queue) throw new Error('the import queue is not started');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis did not take the job within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.add(importId), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async add(importId: string): Promise<void> {
    await this.queue!.add(
      'process',
      { importId },
      {
        jobId: importId,
        attempts: ATTEMPTS,
        backoff: { type: 'exponential', delay: 5000 },
        removeOnComplete: { age: 24 * 3600, count: 1000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    );
  }

  private async run(job: Job<ImportJobData>, token?: string): Promise<string> {
    const { importId } = job.data;
    if (typeof importId !== 'string') throw new UnrecoverableError('the job names no import');
    if (!(await this.imports.hasStagedFile(importId))) {
      const existing = await this.imports.findById(importId);
      if (!existing || existing.status === 'completed' || existing.status === 'failed')
        return 'nothing to do';
      throw new UnrecoverableError('the staged file of this import is missing');
    }
    const outcome = await this.processImport.execute(importId, this.config.IMPORT_CHUNK_ROWS, {
      shouldStop: () => this.stopping,
    });
    if (outcome === 'interrupted') {
      await job.moveToWait(token);
      throw new WaitingError();
    }
    return outcome;
  }

  private async onFailed(job: Job<ImportJobData> | undefined, error: Error): Promise<void> {
    if (!job) return;
    const finalAttempt =
      error instanceof UnrecoverableError ||
      error.name === 'UnrecoverableError' ||
      job.attemptsMade >= (job.opts.attempts ?? 1);
    const description = describeDatabaseError(error);
    this.logger.error(
      { importId: job.data.importId, attempt: job.attemptsMade, finalAttempt, error: description },
      'import run failed',
    );
    if (!finalAttempt) return;
    await this.imports
      .markFailed(
        job.data.importId,
        `processing stopped after ${job.attemptsMade} attempt(s): ${description.code ?? description.name}`,
      )
      .catch((markError: unknown) =>
        this.logger.error(
          { importId: job.data.importId, error: String(markError) },
          'could not mark the import failed',
        ),
      );
  }

  /** Queues unfinished imports that have no live job; marks failed those whose job gave up. */
  private async sweep(): Promise<void> {
    if (!this.queue || this.stopping) return;
    try {
      for (const importId of await this.imports.findUnfinishedIds()) {
        const job = await this.queue.getJob(importId);
        if (!job) {
          await this.enqueue(importId);
          continue;
        }
        const state = await job.getState();
        if (state === 'failed') {
          await this.imports.markFailed(importId, `processing stopped after ${job.attemptsMade} attempt(s)`);
        } else if (state === 'completed' || state === 'unknown') {
          await job.remove().catch(() => undefined);
          await this.enqueue(importId);
        }
      }
    } catch (error) {
      this.logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'import sweep failed; will try again',
      );
    }
  }
}
