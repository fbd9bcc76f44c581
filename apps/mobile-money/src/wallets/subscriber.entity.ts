import { bigintToNumber } from '@scholarpay/database';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { KycLevel } from './kyc-limits';

/** A mobile-money wallet. */
@Entity({ name: 'subscribers' })
export class Subscriber {
  @PrimaryColumn({ type: 'text' })
  msisdn: string;

  @Column({ type: 'smallint' })
  kycLevel: KycLevel;

  @Column({ type: 'boolean' })
  blocked: boolean;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  balance: number;

  @Column({ type: 'date', nullable: true })
  dailyCreditDate: string | null;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  dailyCreditTotal: number;

  /** The merchant client id that created it, or `auto-create` for a wallet opened by a first credit. */
  @Column({ type: 'text' })
  createdBy: string;

  @Column({ type: 'text' })
  updatedBy: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}
