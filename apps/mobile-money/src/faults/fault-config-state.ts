import { maskSensitiveText } from '@scholarpay/platform';
import { faultConfigSchema } from './fault-config.schema';
import type { FaultConfig } from './fault-config.schema';

/** What an admin change did: PUT replaces the configuration, DELETE clears it. */
export type FaultChangeAction = 'replace' | 'clear';

/** Where the configuration in force came from. */
export type FaultSource =
  | { kind: 'environment' }
  | { kind: 'admin'; changeId: number; action: FaultChangeAction; clientId: string; changedAt: string };

/** One row of `fault_config_changes` as the store reads it (action and seed are NULL in old rows). */
export interface StoredFaultChange {
  id: number;
  action: FaultChangeAction | null;
  config: unknown;
  seed: number | null;
  changedBy: string;
  changedAt: Date;
}

/** The configuration in force, as the hot path reads it, plus the version other processes compare. */
export interface ActiveFaultConfig {
  /** The id of the admin change in force, 0 for the environment: changes only ever get larger ids. */
  version: number;
  config: FaultConfig;
  seed: number;
  changedBy: string;
  changedAt: string;
  source: FaultSource;
}

/** A stored change that the current fault schema refuses (the schema became stricter since). */
export class StoredFaultConfigInvalidError extends Error {
  constructor(
    readonly changeId: number,
    readonly problems: string[],
  ) {
    // Problems name fields such as msisdns.+223…: masked, since this message reaches the logs.
    super(
      maskSensitiveText(
        `the fault configuration in force (mobile_money.fault_config_changes id ${changeId}) no longer validates: ` +
          `${problems.join('; ')}. Fix the stored configuration with a migration, or go back to the environment's ` +
          `with UPDATE mobile_money.fault_config_current SET change_id = NULL`,
      ),
    );
    this.name = 'StoredFaultConfigInvalidError';
  }
}

/** Pure rules about which fault configuration is in force; FaultService holds the result. */
export class FaultConfigState {
  /** The seed a configuration starts its random stream from: its own, else MOBILE_MONEY_FAULT_SEED. */
  static effectiveSeed(config: FaultConfig, defaultSeed: number): number {
    return config.seed ?? defaultSeed;
  }

  /** MOBILE_MONEY_FAULTS, in force until the first admin change stored in the database. */
  static fromEnvironment(config: FaultConfig, defaultSeed: number, bootedAt: Date): ActiveFaultConfig {
    return {
      version: 0,
      config,
      seed: FaultConfigState.effectiveSeed(config, defaultSeed),
      changedBy: 'environment',
      changedAt: bootedAt.toISOString(),
      source: { kind: 'environment' },
    };
  }

  /**
   * A stored admin change, validated again (the stored JSON is not trusted to match today's schema).
   * The stored seed wins: a restarted process replays the stream the change started, whatever its
   * own MOBILE_MONEY_FAULT_SEED says.
   */
  static fromStoredChange(change: StoredFaultChange, defaultSeed: number): ActiveFaultConfig {
    const parsed = faultConfigSchema.safeParse(change.config);
    if (!parsed.success) {
      throw new StoredFaultConfigInvalidError(
        change.id,
        parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
      );
    }
    const action: FaultChangeAction =
      change.action ?? (Object.keys(parsed.data).length === 0 ? 'clear' : 'replace');
    const changedAt = change.changedAt.toISOString();
    return {
      version: change.id,
      config: parsed.data,
      seed: change.seed ?? FaultConfigState.effectiveSeed(parsed.data, defaultSeed),
      changedBy: change.changedBy,
      changedAt,
      source: { kind: 'admin', changeId: change.id, action, clientId: change.changedBy, changedAt },
    };
  }

  /**
   * Whether `incoming` should replace `current`. Change ids grow in commit order (writers serialise
   * on the pointer row), so an older change (a slow request's own write arriving after the poll
   * already installed a newer one) or the same one (seen by both the request and the poll) must not
   * be installed again: that would restart the random stream for nothing.
   */
  static supersedes(incoming: { version: number }, current: { version: number }): boolean {
    return incoming.version > current.version;
  }
}
