import { Column, Entity, PrimaryColumn } from 'typeorm';
import { numericToNumber } from '../common/numeric.transformer';

export type ResultSource = 'entry' | 'import';

/** The current state of one student's result in one session; every change is also a row in exam_result_revisions. */
@Entity('exam_results')
export class ExamResultEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  sessionId: string;

  @Column({ type: 'uuid' })
  studentId: string;

  @Column({ type: 'boolean' })
  passed: boolean;

  @Column({ type: 'numeric', precision: 6, scale: 2, nullable: true, transformer: numericToNumber })
  score: number | null;

  @Column({ type: 'int' })
  revision: number;

  @Column({ type: 'text' })
  recordedBy: string;

  @Column({ type: 'timestamptz' })
  recordedAt: Date;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'text' })
  source: ResultSource;

  @Column({ type: 'uuid', nullable: true })
  importId: string | null;

  @Column({ type: 'timestamptz' })
  firstRecordedAt: Date;

  /** Derived from the read model: an award and a successful payout before the session's stipend cutoff. */
  @Column({ type: 'boolean' })
  recipient: boolean;

  /** Derived: distinct months of stipend paid before the cutoff. */
  @Column({ type: 'int' })
  stipendMonths: number;

  @Column({ type: 'boolean' })
  studentKnown: boolean;

  @Column({ type: 'text', nullable: true })
  schoolCode: string | null;

  @Column({ type: 'text', nullable: true })
  regionOfOrigin: string | null;

  @Column({ type: 'int', nullable: true })
  intakeYear: number | null;
}
