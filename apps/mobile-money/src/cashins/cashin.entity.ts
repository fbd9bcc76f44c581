import { bigintToNumber } from '@scholarpay/database';
import { Column, Entity } from 'typeorm';
import type { CashinReasonCode } from './cashin-reasons';
import type { CashinStatus } from './cashin.state-machine';

/**
 * A cash-in (merchant float → subscriber wallet). `reference_id` (the caller's X-Reference-Id) is
 * unique: one reference is one payment, however often it is sent.
 */
@Entity({ name: 'cashins' })
export class Cashin {
  /** bigserial: filled by the database. */
  @Column({ type: 'bigint', primary: true, transformer: bigintToNumber, insert: false })
  id: number;

  @Column({ type: 'text', unique: true })
  transactionId: string;

  @Column({ type: 'uuid', unique: true })
  referenceId: string;

  /** SHA-256 of the request body fields, to tell a retry from a different payment under the same reference. */
  @Column({ type: 'char', length: 64 })
  payloadHash: string;

  @Column({ type: 'text' })
  msisdn: string;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  amount: number;

  @Column({ type: 'text' })
  merchantReference: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'text', nullable: true })
  callbackUrl: string | null;

  @Column({ type: 'text' })
  clientId: string;

  @Column({ type: 'text' })
  status: CashinStatus;

  @Column({ type: 'text', nullable: true })
  reasonCode: CashinReasonCode | null;

  @Column({ type: 'timestamptz' })
  dueAt: Date;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  /** Set by the "early callback" fault: until then the status query still answers PENDING. */
  @Column({ type: 'timestamptz', nullable: true })
  statusVisibleAt: Date | null;
}

/** Float reserved for one pending cash-in at acceptance; released when it completes. */
@Entity({ name: 'float_holds' })
export class FloatHold {
  @Column({ type: 'bigint', primary: true, transformer: bigintToNumber })
  cashinId: number;

  @Column({ type: 'smallint' })
  shard: number;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  amount: number;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
