import { bigintToNumber } from '@scholarpay/database';
import { Column, Entity } from 'typeorm';

export type CallbackKind = 'FINAL' | 'DUPLICATE' | 'EARLY_PENDING';
export type CallbackStatus = 'PENDING' | 'DELIVERED' | 'FAILED' | 'DROPPED';

/**
 * One callback to send (an outbox row): written in the same transaction as the state it announces,
 * sent by CallbackDispatcher, retried with exponential backoff up to `max_attempts`.
 */
@Entity({ name: 'callback_deliveries' })
export class CallbackDelivery {
  /** bigserial: filled by the database. */
  @Column({ type: 'bigint', primary: true, transformer: bigintToNumber, insert: false })
  id: number;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  cashinId: number;

  @Column({ type: 'text' })
  url: string;

  /** The exact JSON body that is signed and sent. */
  @Column({ type: 'text' })
  payload: string;

  @Column({ type: 'text' })
  kind: CallbackKind;

  @Column({ type: 'text' })
  status: CallbackStatus;

  @Column({ type: 'int' })
  attempts: number;

  @Column({ type: 'int' })
  maxAttempts: number;

  @Column({ type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ type: 'int', nullable: true })
  lastResponseStatus: number | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;
}
