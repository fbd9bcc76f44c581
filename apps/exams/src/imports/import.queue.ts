import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import {
  closeAllBullMqWithin,
  logRedisErrors,
  redisConnectionOptions,
  SERVICE_CONFIG,
} from '@scholarpay/platform';
import { Queue, Worker, type Job } from 'bullmq';
import type { ExamsConfig } from '../exams.config';
import { ExamResultImportRepository } from './exam-result-import.repository';
import { ProcessImportUseCase } from './process-import.use-case';

const QUEUE_NAME = 'result-imports';
const ATTEMPTS = 5;

interface ImportJob {
  importId: string;
}

/**
 * Import processing on BullMQ: retried with backoff, one job per import (the job id is the import
 * id, so queueing twice is harmless), and re-queued at boot for any import left unfinished.
 */
@Injectable()
export class ImportQueue implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ImportQueue.name);
  private queue!: Queue<ImportJob>;
  private worker!: Worker<ImportJob>;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ExamsConfig,
    private readonly processImport: ProcessImportUseCase,
    private readonly imports: ExamResultImportRepository,
  ) {}

  onModuleInit(): void {
    const connection = redisConnectionOptions(this.config.REDIS_URL);
    const prefix = this.config.EXAMS_QUEUE_PREFIX;
    this.queue = new Queue<ImportJob>(QUEUE_NAME, { connection, prefix });
    this.worker = new Worker<ImportJob>(QUEUE_NAME, (job) => this.processImport.execute(job.data.importId), {
      connection,
      prefix,
      concurrency: this.config.EXAMS_IMPORT_CONCURRENCY,
    });
    this.worker.on('failed', (job, error) => void this.onFailed(job, error));
    // Rate-limited: while Redis is away, BullMQ reports every reconnection attempt.
    logRedisErrors(this.queue, {
      connection: 'import queue',
      logger: this.logger,
      message: 'import queue error',
    });
    logRedisErrors(this.worker, {
      connection: 'import worker',
      logger: this.logger,
      message: 'import worker error',
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const importId of await this.imports.unfinishedIds()) await this.enqueue(importId);
  }

  async onApplicationShutdown(): Promise<void> {
    // Bounded, so an unreachable Redis cannot hold the shutdown: an import left running is retried
    // once its lock expires, and re-queued at the next boot if unfinished.
    await closeAllBullMqWithin([this.worker, this.queue], { logger: this.logger });
  }

  async enqueue(importId: string): Promise<void> {
    await this.queue.add(
      'process-import',
      { importId },
      {
        jobId: importId,
        attempts: ATTEMPTS,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: true,
        removeOnFail: true,
      },
    );
  }

  private async onFailed(job: Job<ImportJob> | undefined, error: Error): Promise<void> {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    this.logger.warn(
      { err: error, importId: job.data.importId, attempt: job.attemptsMade, final },
      'results import attempt failed',
    );
    if (!final) return;
    const record = await this.imports.findById(job.data.importId).catch(() => null);
    if (record && (record.status === 'queued' || record.status === 'processing')) {
      await this.imports
        .transition(record.id, record.status, 'failed', {
          failureReason: `processing failed after ${job.attemptsMade} attempts: ${error.message}`,
        })
        .catch((cause: unknown) =>
          this.logger.error({ err: cause, importId: record.id }, 'could not mark the import failed'),
        );
    }
  }
}
