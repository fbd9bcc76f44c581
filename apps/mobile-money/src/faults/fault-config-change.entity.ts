import { bigintToNumber } from '@scholarpay/database';
import { Column, Entity } from 'typeorm';

/** Audit of PUT/DELETE /admin/faults: what was set, by which client, when. */
@Entity({ name: 'fault_config_changes' })
export class FaultConfigChange {
  /** bigserial: filled by the database. */
  @Column({ type: 'bigint', primary: true, transformer: bigintToNumber, insert: false })
  id: number;

  @Column({ type: 'jsonb' })
  config: unknown;

  @Column({ type: 'text' })
  changedBy: string;

  @Column({ type: 'timestamptz' })
  changedAt: Date;
}
