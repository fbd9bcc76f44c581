import { Inject, Injectable, Logger } from '@nestjs/common';
import { SERVICE_CONFIG } from '@scholarpay/platform';
import { randomUUID } from 'node:crypto';
import type { ExamsConfig } from '../exams.config';
import { ExamSessionRepository } from '../sessions/exam-session.repository';
import type { ExamResultImportEntity } from './exam-result-import.entity';
import { ExamResultImportRepository } from './exam-result-import.repository';
import { ImportQueue } from './import.queue';
import { inspectCsv } from './inspect-csv';

export interface StartImportCommand {
  sessionId: string;
  fileName: string;
  content: Buffer;
  sha256: string;
  actor: string;
}

/**
 * Accepts a results CSV: checks it is readable, stores it with its hash and queues its processing.
 * The same file uploaded again for the same session returns the first import instead of a second.
 */
@Injectable()
export class StartImportUseCase {
  private readonly logger = new Logger(StartImportUseCase.name);

  constructor(
    private readonly sessions: ExamSessionRepository,
    private readonly imports: ExamResultImportRepository,
    private readonly queue: ImportQueue,
    @Inject(SERVICE_CONFIG) private readonly config: ExamsConfig,
  ) {}

  async execute(command: StartImportCommand): Promise<{ created: boolean; record: ExamResultImportEntity }> {
    await this.sessions.get(command.sessionId);
    const inspection = await inspectCsv(command.content, this.config.EXAMS_IMPORT_MAX_ROWS);
    const outcome = await this.imports.createOrFind({
      id: randomUUID(),
      sessionId: command.sessionId,
      fileName: command.fileName,
      fileSha256: command.sha256,
      content: command.content,
      encoding: inspection.encoding,
      delimiter: inspection.delimiter,
      columns: inspection.columns,
      ignoredColumns: [...inspection.mapping.ignored],
      rowsTotal: inspection.rowsTotal,
      uploadedBy: command.actor,
    });
    if (outcome.created) {
      await this.queue.enqueue(outcome.record.id);
      this.logger.log(
        {
          importId: outcome.record.id,
          sessionId: command.sessionId,
          rows: inspection.rowsTotal,
          actor: command.actor,
        },
        'results import queued',
      );
    } else if (outcome.record.status === 'queued' || outcome.record.status === 'processing') {
      // The first upload's job may have been lost with Redis; queueing again is harmless (same job id).
      await this.queue.enqueue(outcome.record.id);
    }
    return outcome;
  }
}
