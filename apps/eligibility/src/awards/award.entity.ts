import { bigintToNumber } from '@scholarpay/database';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AwardStatus, AwardTransition } from './award.state-machine';

/** A scholarship awarded to one student in one programme. */
@Entity('awards')
export class AwardEntity {
  @PrimaryColumn({ type: 'uuid' })
  awardId: string;

  @Column({ type: 'uuid' })
  programmeId: string;

  @Column({ type: 'uuid' })
  studentId: string;

  /** Grows with each transition; published in every award event. */
  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'text' })
  status: AwardStatus;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  monthlyStipend: number;

  @Column({ type: 'text' })
  firstMonth: string;

  @Column({ type: 'text' })
  lastMonth: string;

  /** What this award holds of the programme's budget (see AwardCapacity). */
  @Column({ type: 'bigint', transformer: bigintToNumber })
  committedAmount: number;

  @Column({ type: 'timestamptz' })
  awardedAt: Date;

  @Column({ type: 'text' })
  awardedBy: string;

  @Column({ type: 'text' })
  statusReason: string;

  @Column({ type: 'text' })
  statusChangedBy: string;

  @Column({ type: 'timestamptz' })
  statusChangedAt: Date;

  @Column({ type: 'text', nullable: true })
  revokedInMonth: string | null;

  /** The latest month payments paid this award for (see `AwardPaidMonthEntity`), or null. */
  @Column({ type: 'text', nullable: true })
  lastPaidMonth: string | null;
}

/**
 * A month payments paid an award for, from its `payout.succeeded` event: a revoked award keeps
 * committing the months paid (the money is out). One per award and month, as payments pays.
 */
@Entity('award_paid_months')
export class AwardPaidMonthEntity {
  @PrimaryColumn({ type: 'uuid' })
  awardId: string;

  @PrimaryColumn({ type: 'text' })
  month: string;

  @Column({ type: 'uuid' })
  payoutId: string;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  amount: number;

  @Column({ type: 'timestamptz' })
  paidAt: Date;

  /** The payout event this month was learnt from. */
  @Column({ type: 'uuid' })
  eventId: string;

  @Column({ type: 'timestamptz' })
  recordedAt: Date;
}

/** Every transition of every award: the audit trail (who, when, why) and the event that announced it. */
@Entity('award_transitions')
export class AwardTransitionEntity {
  @PrimaryColumn({ type: 'uuid' })
  awardId: string;

  @PrimaryColumn({ type: 'int' })
  version: number;

  @Column({ type: 'text' })
  transition: AwardTransition;

  @Column({ type: 'text', nullable: true })
  fromStatus: AwardStatus | null;

  @Column({ type: 'text' })
  toStatus: AwardStatus;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'text' })
  changedBy: string;

  @Column({ type: 'timestamptz' })
  changedAt: Date;

  @Column({ type: 'uuid' })
  eventId: string;
}
