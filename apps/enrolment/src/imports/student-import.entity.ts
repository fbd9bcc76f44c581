import { bigintToNumber } from '@scholarpay/database';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { StudentField } from './csv/csv-header';

export type StudentImportStatus = 'queued' | 'processing' | 'completed' | 'failed';

/** One uploaded CSV file and how far its processing has got. */
@Entity('student_imports')
export class StudentImportEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  status: StudentImportStatus;

  @Column({ type: 'text' })
  requestedBy: string;

  /** The uploader's reach when they uploaded: every school, or these (a school administrator's). */
  @Column({ type: 'boolean' })
  requesterAllSchools: boolean;

  @Column({ type: 'jsonb' })
  requesterSchoolIds: string[];

  /** The upload request's correlation id, carried by every event the import publishes. */
  @Column({ type: 'text' })
  correlationId: string;

  @Column({ type: 'text', nullable: true })
  fileName: string | null;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  byteSize: number;

  @Column({ type: 'text' })
  sha256: string;

  @Column({ type: 'text' })
  encoding: 'utf-8' | 'windows-1252';

  @Column({ type: 'text' })
  delimiter: string;

  /** Which file column holds which field (column index in the header). */
  @Column({ type: 'jsonb' })
  columnMap: Partial<Record<StudentField, number>>;

  /** The header as written, for error messages that name the column the school used. */
  @Column({ type: 'jsonb' })
  headerNames: string[];

  @Column({ type: 'jsonb' })
  ignoredColumns: string[];

  @Column({ type: 'int' })
  totalRows: number;

  @Column({ type: 'int' })
  rowsProcessed: number;

  /** The last file line whose row is applied; a restarted job resumes after it. */
  @Column({ type: 'int' })
  resumeAfterLine: number;

  @Column({ type: 'int' })
  createdCount: number;

  @Column({ type: 'int' })
  updatedCount: number;

  @Column({ type: 'int' })
  unchangedCount: number;

  @Column({ type: 'int' })
  rejectedCount: number;

  @Column({ type: 'text', nullable: true })
  failureReason: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;
}

/** One problem with one row of an import: the file line, the column as the file names it, and what is wrong. */
@Entity('student_import_rejections')
export class StudentImportRejectionEntity {
  @PrimaryColumn({ type: 'bigint', insert: false, transformer: bigintToNumber })
  id: number;

  @Column({ type: 'uuid' })
  importId: string;

  @Column({ type: 'int' })
  row: number;

  @Column({ type: 'text', nullable: true })
  column: string | null;

  @Column({ type: 'text' })
  message: string;
}
