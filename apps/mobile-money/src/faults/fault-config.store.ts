import { DataSource } from 'typeorm';
import type { FaultConfig } from './fault-config.schema';
import type { FaultChangeAction, StoredFaultChange } from './fault-config-state';

interface ChangeRow {
  id: string;
  action: FaultChangeAction | null;
  config: unknown;
  seed: string | null;
  changed_by: string;
  changed_at: Date;
}

const SELECT_CURRENT = `
  SELECT c.id, c.action, c.config, c.seed, c.changed_by, c.changed_at
    FROM fault_config_current cur
    JOIN fault_config_changes c ON c.id = cur.change_id
   WHERE cur.id = 1`;

/**
 * The fault configuration in Postgres: `fault_config_changes` is the append-only history,
 * `fault_config_current` (one row) points at the change in force, NULL meaning the environment's.
 */
export class FaultConfigStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The admin change in force, or null while the environment's configuration applies. */
  async current(): Promise<StoredFaultChange | null> {
    const rows: ChangeRow[] = await this.dataSource.query(SELECT_CURRENT);
    return rows.length ? toChange(rows[0]) : null;
  }

  /**
   * The change in force if it is newer than `version`, else null. This is what every process polls:
   * one primary-key lookup in a one-row table that usually returns nothing.
   */
  async newerThan(version: number): Promise<StoredFaultChange | null> {
    const rows: ChangeRow[] = await this.dataSource.query(`${SELECT_CURRENT} AND cur.change_id > $1`, [
      version,
    ]);
    return rows.length ? toChange(rows[0]) : null;
  }

  /**
   * Appends the change to the history and makes it the one in force, in one transaction. The pointer
   * row is locked first, so concurrent changes (from any process) queue there and take their ids in
   * commit order: the newest id is always the change in force, which the poll relies on.
   */
  async record(change: {
    action: FaultChangeAction;
    config: FaultConfig;
    seed: number;
    changedBy: string;
  }): Promise<StoredFaultChange> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT change_id FROM fault_config_current WHERE id = 1 FOR UPDATE`);
      const [row]: ChangeRow[] = await manager.query(
        `INSERT INTO fault_config_changes (config, changed_by, action, seed) VALUES ($1, $2, $3, $4)
         RETURNING id, action, config, seed, changed_by, changed_at`,
        [JSON.stringify(change.config), change.changedBy, change.action, change.seed],
      );
      // A missing pointer row (deleted by hand) is recreated rather than silently not updated.
      await manager.query(
        `INSERT INTO fault_config_current (id, change_id, updated_at) VALUES (1, $1, now())
         ON CONFLICT (id) DO UPDATE SET change_id = EXCLUDED.change_id, updated_at = EXCLUDED.updated_at`,
        [row.id],
      );
      return toChange(row);
    });
  }
}

function toChange(row: ChangeRow): StoredFaultChange {
  return {
    id: Number(row.id),
    action: row.action,
    config: row.config,
    seed: row.seed === null ? null : Number(row.seed),
    changedBy: row.changed_by,
    changedAt: row.changed_at,
  };
}
