import { bigintToNumber } from '@scholarpay/database';
import { Column, Entity } from 'typeorm';

/**
 * The append-only history of PUT/DELETE /admin/faults: what was set, by which client, when, and the
 * seed its random stream started from. `fault_config_current` points at the change in force (see
 * FaultConfigStore, which reads and writes both with plain SQL).
 */
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

  /** `replace` (PUT) or `clear` (DELETE); null in rows recorded before the configuration was persisted. */
  @Column({ type: 'text', nullable: true })
  action: 'replace' | 'clear' | null;

  /** The seed the change started its random stream from; null in rows recorded before it was persisted. */
  @Column({ type: 'bigint', nullable: true, transformer: bigintToNumber })
  seed: number | null;
}
