import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { dateAsString } from '../common/numeric.transformer';

export type ScoreScale = 20 | 100;

/** A sitting of the national certification exam for one cadre on one date. */
@Entity('exam_sessions')
export class ExamSessionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'date', transformer: dateAsString })
  examDate: string;

  @Column({ type: 'text' })
  cadre: string;

  /** Scores of this session are out of 20 or out of 100. */
  @Column({ type: 'smallint' })
  scoreScale: ScoreScale;

  /** Payouts completed before this instant count as received before the exam (start of the exam day, local time). */
  @Column({ type: 'timestamptz' })
  stipendCutoff: Date;

  @Column({ type: 'text' })
  createdBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
