import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ExamResultImportEntity, ExamResultImportErrorEntity } from './exam-result-import.entity';
import { canTransition, type ImportStatus } from './import.state-machine';
import type { ResultColumn } from './result-csv.rules';

export interface NewImport {
  id: string;
  sessionId: string;
  fileName: string;
  fileSha256: string;
  content: Buffer;
  encoding: string;
  delimiter: string;
  columns: Record<string, ResultColumn>;
  ignoredColumns: string[];
  rowsTotal: number;
  uploadedBy: string;
}

export interface BatchProgress {
  records: number;
  recorded: number;
  corrected: number;
  unchanged: number;
  failed: number;
  blank: number;
}

export interface NewImportError {
  recordNumber: number;
  line: number;
  field: string;
  code: string;
  problem: string;
}

@Injectable()
export class ExamResultImportRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores a new import, or finds the one that already holds this very file for this session
   * (re-uploading the same file is idempotent). `created` says which.
   */
  async createOrFind(input: NewImport): Promise<{ created: boolean; record: ExamResultImportEntity }> {
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO exam_result_imports
         (id, session_id, file_name, file_sha256, file_size, encoding, delimiter, content, columns, ignored_columns, status, rows_total, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'queued', $11, $12)
       ON CONFLICT ON CONSTRAINT exam_result_imports_file_key DO NOTHING
       RETURNING id`,
      [
        input.id,
        input.sessionId,
        input.fileName,
        input.fileSha256,
        input.content.length,
        input.encoding,
        input.delimiter,
        input.content,
        JSON.stringify(input.columns),
        JSON.stringify(input.ignoredColumns),
        input.rowsTotal,
        input.uploadedBy,
      ],
    );
    if (inserted.length > 0) return { created: true, record: (await this.findById(input.id))! };
    const existing = await this.dataSource.manager.findOneOrFail(ExamResultImportEntity, {
      where: { sessionId: input.sessionId, fileSha256: input.fileSha256 },
    });
    return { created: false, record: existing };
  }

  async findById(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ExamResultImportEntity | null> {
    return manager.findOne(ExamResultImportEntity, { where: { id } });
  }

  async contentOf(id: string): Promise<Buffer> {
    const [row] = (await this.dataSource.query(`SELECT content FROM exam_result_imports WHERE id = $1`, [
      id,
    ])) as { content: Buffer }[];
    if (!row) throw new Error(`import ${id} has no stored file`);
    return row.content;
  }

  async list(filter: {
    sessionId?: string;
    limit: number;
    offset: number;
  }): Promise<{ items: ExamResultImportEntity[]; total: number }> {
    const [items, total] = await this.dataSource.manager.findAndCount(ExamResultImportEntity, {
      where: filter.sessionId ? { sessionId: filter.sessionId } : {},
      order: { createdAt: 'DESC', id: 'ASC' },
      take: filter.limit,
      skip: filter.offset,
    });
    return { items, total };
  }

  async errors(
    importId: string,
    page: { limit: number; offset: number },
  ): Promise<{ items: ExamResultImportErrorEntity[]; total: number }> {
    const [items, total] = await this.dataSource.manager.findAndCount(ExamResultImportErrorEntity, {
      where: { importId },
      order: { recordNumber: 'ASC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
    return { items, total };
  }

  /** Imports not finished (queued, or interrupted while processing), oldest first. */
  async unfinishedIds(): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM exam_result_imports WHERE status IN ('queued', 'processing') ORDER BY created_at`,
    );
    return rows.map((row) => row.id);
  }

  /**
   * Moves the import from one status to another, if the table allows it and nobody moved it
   * meanwhile; false when it was not (any longer) in `from`.
   */
  async transition(
    id: string,
    from: ImportStatus,
    to: ImportStatus,
    extra: { failureReason?: string } = {},
  ): Promise<boolean> {
    if (!canTransition(from, to)) throw new Error(`import status cannot go from ${from} to ${to}`);
    const [, affected] = (await this.dataSource.query(
      `UPDATE exam_result_imports
          SET status = $3,
              started_at = CASE WHEN $3 = 'processing' THEN coalesce(started_at, now()) ELSE started_at END,
              completed_at = CASE WHEN $3 IN ('completed', 'failed') THEN now() ELSE completed_at END,
              failure_reason = coalesce($4, failure_reason),
              updated_at = now()
        WHERE id = $1 AND status = $2`,
      [id, from, to, extra.failureReason ?? null],
    )) as [unknown, number];
    return affected === 1;
  }

  /**
   * Adds a batch's counts, in the batch's transaction. `expectedProcessed` guards against two
   * workers processing the same import: the second one's update finds nothing and rolls back.
   */
  async recordBatch(
    manager: EntityManager,
    id: string,
    expectedProcessed: number,
    progress: BatchProgress,
    errors: NewImportError[],
  ): Promise<void> {
    const [, affected] = (await manager.query(
      `UPDATE exam_result_imports
          SET rows_processed = rows_processed + $3, rows_recorded = rows_recorded + $4, rows_corrected = rows_corrected + $5,
              rows_unchanged = rows_unchanged + $6, rows_failed = rows_failed + $7, rows_blank = rows_blank + $8, updated_at = now()
        WHERE id = $1 AND rows_processed = $2 AND status = 'processing'`,
      [
        id,
        expectedProcessed,
        progress.records,
        progress.recorded,
        progress.corrected,
        progress.unchanged,
        progress.failed,
        progress.blank,
      ],
    )) as [unknown, number];
    if (affected !== 1) throw new ImportMovedOnError(id);
    if (errors.length > 0) {
      await manager.insert(
        ExamResultImportErrorEntity,
        errors.map((error) => ({ importId: id, ...error })),
      );
    }
  }
}

/** Another worker advanced (or finished) the import: this one's batch must not be applied. */
export class ImportMovedOnError extends Error {
  constructor(importId: string) {
    super(`import ${importId} was advanced by another worker`);
    this.name = 'ImportMovedOnError';
  }
}
