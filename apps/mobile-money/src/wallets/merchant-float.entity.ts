import { bigintToNumber } from '@scholarpay/database';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One shard of the merchant's float: `balance` includes `reserved`, the holds of pending cash-ins.
 * The float is the sum of its shards (see float-shards.ts).
 */
@Entity({ name: 'float_shards' })
export class FloatShardEntity {
  @PrimaryColumn({ type: 'smallint' })
  shard: number;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  balance: number;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  reserved: number;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A top-up of the float: who, when, how much, and the balance after it. */
@Entity({ name: 'float_topups' })
export class FloatTopup {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  amount: number;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  balanceAfter: number;

  @Column({ type: 'text' })
  toppedUpBy: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
