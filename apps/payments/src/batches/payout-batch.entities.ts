import { bigintToNumber } from '@scholarpay/database';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { BatchState } from './payout-batch.state-machine';
import type { LineStatus } from './payout-line.state-machine';

export interface BatchSummary {
  paidCount: number;
  failedCount: number;
  paidAmount: number;
  failedAmount: number;
}

/** A month's payout batch for one programme; who prepared, submitted, approved or rejected it. */
@Entity('payout_batches')
export class PayoutBatchEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  programmeId: string;

  @Column({ type: 'text' })
  programmeCode: string;

  @Column({ type: 'text' })
  month: string;

  @Column({ type: 'text' })
  state: BatchState;

  @Column({ type: 'int' })
  lineCount: number;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  totalAmount: number;

  @Column({ type: 'int' })
  excludedCount: number;

  @Column({ type: 'text' })
  createdBy: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'text', nullable: true })
  submittedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  approvedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  rejectedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  rejectedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  rejectionReason: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  disbursementStartedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  summary: BatchSummary | null;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

/** One student's stipend for the month: the amount and phone number as they were when the batch was prepared. */
@Entity('payout_lines')
export class PayoutLineEntity {
  /** Also the provider reference (X-Reference-Id) of the cash-in. */
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  batchId: string;

  @Column({ type: 'uuid' })
  programmeId: string;

  @Column({ type: 'uuid' })
  awardId: string;

  @Column({ type: 'uuid' })
  studentId: string;

  @Column({ type: 'text' })
  month: string;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  amount: number;

  @Column({ type: 'text' })
  phone: string;

  @Column({ type: 'text', nullable: true })
  operator: 'orange' | 'moov' | null;

  @Column({ type: 'text' })
  payeeName: string;

  @Column({ type: 'text' })
  status: LineStatus;

  @Column({ type: 'int' })
  attempts: number;

  @Column({ type: 'int' })
  checks: number;

  @Column({ type: 'text', nullable: true })
  providerTransactionId: string | null;

  @Column({ type: 'text', nullable: true })
  providerStatus: string | null;

  @Column({ type: 'text', nullable: true })
  reasonCode: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  firstSentAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastSentAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  nextCheckAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  smsSentAt: Date | null;

  @Column({ type: 'text', nullable: true })
  smsId: string | null;

  @Column({ type: 'text', nullable: true })
  smsFailure: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

/** An award that covered the month but got no line, and why. */
@Entity('payout_batch_exclusions')
export class PayoutBatchExclusionEntity {
  @PrimaryColumn({ type: 'uuid' })
  batchId: string;

  @PrimaryColumn({ type: 'uuid' })
  awardId: string;

  @Column({ type: 'uuid' })
  studentId: string;

  @Column({ type: 'text' })
  reasonCode: string;

  @Column({ type: 'text' })
  detail: string;
}

/** Who did what to a batch, when and why. */
@Entity('payout_batch_audit')
export class PayoutBatchAuditEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  batchId: string;

  @Column({ type: 'text' })
  action: string;

  @Column({ type: 'text', nullable: true })
  fromState: BatchState | null;

  @Column({ type: 'text' })
  toState: BatchState;

  @Column({ type: 'text' })
  actor: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'jsonb', nullable: true })
  details: Record<string, unknown> | null;

  @Column({ type: 'timestamptz' })
  at: Date;
}

export const payoutBatchEntities = [PayoutBatchEntity, PayoutLineEntity, PayoutBatchExclusionEntity, PayoutBatchAuditEntity];
