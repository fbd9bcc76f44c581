import { bigintToNumber } from '@scholarpay/database';
import { Column, Entity } from 'typeorm';

/** An SMS "sent" by the merchant; a non-null `reference` makes sending idempotent. */
@Entity({ name: 'sms_messages' })
export class SmsMessage {
  /** bigserial: filled by the database. */
  @Column({ type: 'bigint', primary: true, transformer: bigintToNumber, insert: false })
  id: number;

  @Column({ type: 'uuid', unique: true })
  smsId: string;

  @Column({ type: 'text' })
  toMsisdn: string;

  @Column({ type: 'text' })
  message: string;

  @Column({ type: 'text', nullable: true, unique: true })
  reference: string | null;

  @Column({ type: 'text' })
  clientId: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
