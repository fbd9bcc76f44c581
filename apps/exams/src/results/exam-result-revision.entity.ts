import { Column, Entity, PrimaryColumn } from 'typeorm';
import { numericToNumber } from '../common/numeric.transformer';
import type { ResultSource } from './exam-result.entity';

/** One version of a result, append-only: the first entry is revision 1, each correction adds one. */
@Entity('exam_result_revisions')
export class ExamResultRevisionEntity {
  @PrimaryColumn({ type: 'uuid' })
  resultId: string;

  @PrimaryColumn({ type: 'int' })
  revision: number;

  @Column({ type: 'boolean' })
  passed: boolean;

  @Column({ type: 'numeric', precision: 6, scale: 2, nullable: true, transformer: numericToNumber })
  score: number | null;

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

  @Column({ type: 'int', nullable: true })
  importRecord: number | null;
}
