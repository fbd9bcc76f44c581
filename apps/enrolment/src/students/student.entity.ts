import type { MobileOperator, StudentStatus } from '@scholarpay/contracts';
import { bigintToNumber } from '@scholarpay/database';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Sex } from './student-fields.rules';

/** A scholar as the school enrolled them. `version` grows by one with every change. */
@Entity('students')
export class StudentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** Insertion order; the cursor of listings. */
  @Column({ type: 'bigint', insert: false, update: false, transformer: bigintToNumber })
  seq: number;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'text' })
  nationalId: string;

  @Column({ type: 'text' })
  firstName: string;

  @Column({ type: 'text' })
  lastName: string;

  /** First and last name folded (no accents, lower case) for search. */
  @Column({ type: 'text' })
  searchText: string;

  @Column({ type: 'char', length: 1 })
  sex: Sex;

  @Column({ type: 'date' })
  dateOfBirth: string;

  @Column({ type: 'text' })
  regionOfOrigin: string;

  @Column({ type: 'uuid' })
  schoolId: string;

  /** Denormalised from the school (codes never change) so snapshots and listings need no join. */
  @Column({ type: 'text' })
  schoolCode: string;

  @Column({ type: 'text' })
  programmeOfStudy: string;

  @Column({ type: 'int' })
  intakeYear: number;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text', nullable: true })
  operator: MobileOperator | null;

  @Column({ type: 'text' })
  status: StudentStatus;

  @Column({ type: 'timestamptz' })
  enrolledAt: Date;

  @Column({ type: 'text' })
  createdBy: string;

  @Column({ type: 'text' })
  updatedBy: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

/** Every status a student has had: who changed it, when and why. */
@Entity('student_status_history')
export class StudentStatusHistoryEntity {
  @PrimaryColumn({ type: 'bigint', insert: false, transformer: bigintToNumber })
  id: number;

  @Column({ type: 'uuid' })
  studentId: string;

  /** Null for the first entry (registration). */
  @Column({ type: 'text', nullable: true })
  fromStatus: StudentStatus | null;

  @Column({ type: 'text' })
  toStatus: StudentStatus;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'text' })
  changedBy: string;

  @Column({ type: 'timestamptz' })
  changedAt: Date;
}

/**
 * One correction of a student's record: the fields that changed with their values before and after
 * (phone numbers and national ids included, so this table is never logged), who, when and why.
 */
@Entity('student_changes')
export class StudentChangeEntity {
  @PrimaryColumn({ type: 'bigint', insert: false, transformer: bigintToNumber })
  id: number;

  @Column({ type: 'uuid' })
  studentId: string;

  /** The student's version after this change. */
  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'jsonb' })
  changes: Record<string, { from: unknown; to: unknown }>;

  /** Required for a phone, national id or school change; optional for other fields. */
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'text' })
  changedBy: string;

  @Column({ type: 'timestamptz' })
  changedAt: Date;
}
