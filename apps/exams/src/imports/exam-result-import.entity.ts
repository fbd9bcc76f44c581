import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { ImportStatus } from './import.state-machine';
import type { ResultColumn } from './result-csv.rules';

/** An uploaded CSV of results for one session; the file is kept so processing can resume after a crash. */
@Entity('exam_result_imports')
export class ExamResultImportEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  sessionId: string;

  @Column({ type: 'text' })
  fileName: string;

  @Column({ type: 'text' })
  fileSha256: string;

  @Column({ type: 'int' })
  fileSize: number;

  @Column({ type: 'text' })
  encoding: string;

  @Column({ type: 'text' })
  delimiter: string;

  @Column({ type: 'bytea', select: false })
  content: Buffer;

  /** Header as found in the file, mapped to what each column means. */
  @Column({ type: 'jsonb' })
  columns: Record<string, ResultColumn>;

  @Column({ type: 'jsonb' })
  ignoredColumns: string[];

  @Column({ type: 'text' })
  status: ImportStatus;

  @Column({ type: 'int', nullable: true })
  rowsTotal: number | null;

  @Column({ type: 'int' })
  rowsProcessed: number;

  @Column({ type: 'int' })
  rowsRecorded: number;

  @Column({ type: 'int' })
  rowsCorrected: number;

  @Column({ type: 'int' })
  rowsUnchanged: number;

  @Column({ type: 'int' })
  rowsFailed: number;

  /** Records with every cell empty (";;;" lines): skipped, not errors. */
  @Column({ type: 'int' })
  rowsBlank: number;

  @Column({ type: 'text', nullable: true })
  failureReason: string | null;

  @Column({ type: 'text' })
  uploadedBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A row of an import that could not be recorded, and why. */
@Entity('exam_result_import_errors')
export class ExamResultImportErrorEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  importId: string;

  /** 1 for the first data record after the header. */
  @Column({ type: 'int' })
  recordNumber: number;

  /** Line of the file where the record ends (the header is line 1). */
  @Column({ type: 'int' })
  line: number;

  @Column({ type: 'text' })
  field: string;

  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  problem: string;
}
