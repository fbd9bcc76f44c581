import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { RecognisedHeader } from './csv/csv-header';
import type { CsvEncoding } from './csv/csv-text-decoder';
import {
  StudentImportEntity,
  StudentImportRejectionEntity,
  StudentImportStatus,
} from './student-import.entity';
import type { RowProblem } from './student-row.parser';

export interface NewStudentImport {
  id: string;
  requestedBy: string;
  requesterAllSchools: boolean;
  requesterSchoolIds: string[];
  correlationId: string;
  fileName: string | null;
}

export interface StagedFileSummary {
  byteSize: number;
  sha256: string;
  encoding: CsvEncoding;
  header: RecognisedHeader;
  totalRows: number;
}

export interface BatchProgress {
  rowsProcessed: number;
  resumeAfterLine: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/** Imports, their staged file and their rejected rows. */
@Injectable()
export class StudentImportRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The import row a staging transaction starts with; completed by `finishStaging` in the same transaction. */
  async beginStaging(manager: EntityManager, input: NewStudentImport): Promise<void> {
    await manager.query(
      `INSERT INTO student_imports (id, status, requested_by, requester_all_schools, requester_school_ids, correlation_id,
         file_name, byte_size, sha256, encoding, delimiter, column_map, header_names, ignored_columns, total_rows)
       VALUES ($1, 'queued', $2, $3, $4::jsonb, $5, $6, 0, '', 'utf-8', ',', '{}'::jsonb, '[]'::jsonb, '[]'::jsonb, 0)`,
      [
        input.id,
        input.requestedBy,
        input.requesterAllSchools,
        JSON.stringify(input.requesterSchoolIds),
        input.correlationId,
        input.fileName,
      ],
    );
  }

  async appendFileChunk(manager: EntityManager, importId: string, seq: number, data: Buffer): Promise<void> {
    await manager.query('INSERT INTO student_import_file_chunks (import_id, seq, data) VALUES ($1, $2, $3)', [
      importId,
      seq,
      data,
    ]);
  }

  async finishStaging(manager: EntityManager, importId: string, summary: StagedFileSummary): Promise<void> {
    await manager.query(
      `UPDATE student_imports SET byte_size = $2, sha256 = $3, encoding = $4, delimiter = $5, column_map = $6::jsonb,
         header_names = $7::jsonb, ignored_columns = $8::jsonb, total_rows = $9
       WHERE id = $1`,
      [
        importId,
        summary.byteSize,
        summary.sha256,
        summary.encoding,
        summary.header.delimiter,
        JSON.stringify(summary.header.columnMap),
        JSON.stringify(summary.header.headerNames),
        JSON.stringify(summary.header.ignoredColumns),
        summary.totalRows,
      ],
    );
  }

  /** The staged file, one stored piece at a time (each about 1 MiB). */
  async *readFile(importId: string): AsyncGenerator<Buffer> {
    for (let seq = 0; ; seq += 1) {
      const rows: { data: Buffer }[] = await this.dataSource.query(
        'SELECT data FROM student_import_file_chunks WHERE import_id = $1 AND seq = $2',
        [importId, seq],
      );
      if (rows.length === 0) return;
      yield rows[0].data;
    }
  }

  async hasStagedFile(importId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      'SELECT 1 FROM student_import_file_chunks WHERE import_id = $1 LIMIT 1',
      [importId],
    );
    return rows.length > 0;
  }

  async findById(id: string): Promise<StudentImportEntity | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      'SELECT * FROM student_imports WHERE id = $1',
      [id],
    );
    return rows[0] ? toImport(rows[0]) : null;
  }

  async findUnfinishedIds(): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM student_imports WHERE status IN ('queued', 'processing') ORDER BY created_at`,
    );
    return rows.map((row) => row.id);
  }

  async markProcessing(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE student_imports SET status = 'processing', started_at = COALESCE(started_at, now())
        WHERE id = $1 AND status IN ('queued', 'processing')`,
      [id],
    );
  }

  /** Adds one applied batch to the counters, in the batch's own transaction. */
  async recordBatch(manager: EntityManager, id: string, progress: BatchProgress): Promise<void> {
    await manager.query(
      `UPDATE student_imports SET rows_processed = rows_processed + $2, resume_after_line = $3,
         created_count = created_count + $4, updated_count = updated_count + $5,
         unchanged_count = unchanged_count + $6, rejected_count = rejected_count + $7
       WHERE id = $1`,
      [
        id,
        progress.rowsProcessed,
        progress.resumeAfterLine,
        progress.created,
        progress.updated,
        progress.unchanged,
        progress.rejected,
      ],
    );
  }

  async insertRejections(manager: EntityManager, importId: string, problems: RowProblem[]): Promise<void> {
    if (problems.length === 0) return;
    await manager.query(
      `INSERT INTO student_import_rejections (import_id, "row", "column", message)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[])`,
      [
        importId,
        problems.map((problem) => problem.row),
        problems.map((problem) => problem.column),
        problems.map((problem) => problem.message),
      ],
    );
  }

  /** Done: the total becomes what was actually read, and the staged file is deleted. */
  async markCompleted(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE student_imports SET status = 'completed', completed_at = now(), total_rows = rows_processed WHERE id = $1`,
        [id],
      );
      await manager.query('DELETE FROM student_import_file_chunks WHERE import_id = $1', [id]);
    });
  }

  async markFailed(id: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE student_imports SET status = 'failed', failure_reason = $2, completed_at = now()
        WHERE id = $1 AND status IN ('queued', 'processing')`,
      [id, reason],
    );
  }

  /** Rejected rows in file order, `limit + 1` of them so the caller knows whether more follow. */
  async rejections(
    importId: string,
    afterId: number | null,
    limit: number,
  ): Promise<StudentImportRejectionEntity[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT id, import_id, "row", "column", message FROM student_import_rejections
        WHERE import_id = $1 AND ($2::bigint IS NULL OR id > $2) ORDER BY id LIMIT $3`,
      [importId, afterId, limit + 1],
    );
    return rows.map((row) =>
      Object.assign(new StudentImportRejectionEntity(), {
        id: Number(row.id),
        importId: row.import_id as string,
        row: row.row as number,
        column: (row.column as string | null) ?? null,
        message: row.message as string,
      }),
    );
  }
}

function toImport(row: Record<string, unknown>): StudentImportEntity {
  return Object.assign(new StudentImportEntity(), {
    id: row.id as string,
    status: row.status as StudentImportStatus,
    requestedBy: row.requested_by as string,
    requesterAllSchools: row.requester_all_schools as boolean,
    requesterSchoolIds: row.requester_school_ids as string[],
    correlationId: row.correlation_id as string,
    fileName: (row.file_name as string | null) ?? null,
    byteSize: Number(row.byte_size),
    sha256: row.sha256 as string,
    encoding: row.encoding as CsvEncoding,
    delimiter: row.delimiter as string,
    columnMap: row.column_map as StudentImportEntity['columnMap'],
    headerNames: row.header_names as string[],
    ignoredColumns: row.ignored_columns as string[],
    totalRows: row.total_rows as number,
    rowsProcessed: row.rows_processed as number,
    resumeAfterLine: row.resume_after_line as number,
    createdCount: row.created_count as number,
    updatedCount: row.updated_count as number,
    unchangedCount: row.unchanged_count as number,
    rejectedCount: row.rejected_count as number,
    failureReason: (row.failure_reason as string | null) ?? null,
    createdAt: row.created_at as Date,
    startedAt: (row.started_at as Date | null) ?? null,
    completedAt: (row.completed_at as Date | null) ?? null,
  });
}
