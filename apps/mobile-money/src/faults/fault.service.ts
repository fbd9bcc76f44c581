import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProviderError } from '../common/provider-error';
import { safeError } from '../common/safe-error';
import { WorkerLoop } from '../common/worker-loop';
import { MOBILE_MONEY_CONFIG } from '../config/mobile-money.config';
import type { MobileMoneyConfig } from '../config/mobile-money.config';
import type { FaultConfig } from './fault-config.schema';
import { ActiveFaultConfig, FaultConfigState, FaultSource, StoredFaultChange } from './fault-config-state';
import { FaultConfigStore } from './fault-config.store';
import { CallbackFaultDecision, FaultPlan, RequestFaults } from './fault-plan';
import { mulberry32, Random } from './prng';
import { RateLimiter } from './rate-limiter';

export interface FaultState {
  config: FaultConfig;
  seed: number;
  /** The client id of the admin change in force, or "environment". */
  changedBy: string;
  /** When that change was made (for the environment: when this process booted). */
  changedAt: string;
  source: FaultSource;
}

/**
 * How often each process asks whether another process changed the configuration.
 *
 * A poll rather than LISTEN/NOTIFY: a change is rare and a poll is one primary-key lookup in a
 * one-row table, so it costs nothing worth saving, while LISTEN needs a dedicated connection per
 * process, reconnect handling, and a poll anyway for the notifications lost while disconnected.
 * 500 ms keeps "a change reaches every process within about a second" with room for a busy machine.
 */
export const FAULT_CONFIG_POLL_MS = 500;

/**
 * The fault configuration in force, its seeded random stream, the rate limiter, and the responses
 * currently held back by a "hang".
 *
 * The configuration lives in Postgres (FaultConfigStore): the latest admin change (PUT or DELETE
 * /admin/faults) is in force, MOBILE_MONEY_FAULTS only until the first one. It is loaded before the
 * HTTP server listens (onModuleInit) and then kept in memory, so the per-request decisions (`admit`,
 * `decideRequest`, `decideCallback`) never touch the database; a poll brings in changes made through
 * other processes sharing the database. Installing a configuration restarts its random stream from
 * its seed; so does a restart, which loads the stored change again: the values drawn before the
 * restart come out again (the stream's position is not stored: it moves on every request).
 */
@Injectable()
export class FaultService
  implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown
{
  private readonly logger = new Logger(FaultService.name);
  private readonly store: FaultConfigStore;
  private readonly poll: WorkerLoop;
  private active: ActiveFaultConfig;
  private random: Random;
  /** A stored change the schema refused, reported once rather than on every poll. */
  private refusedVersion = 0;
  private readonly limiter = new RateLimiter();
  private readonly hanging = new Set<() => void>();

  constructor(
    @Inject(MOBILE_MONEY_CONFIG) private readonly settings: MobileMoneyConfig,
    dataSource: DataSource,
  ) {
    this.store = new FaultConfigStore(dataSource);
    // Until onModuleInit has read the database; no request is served before that.
    this.active = FaultConfigState.fromEnvironment(
      settings.MOBILE_MONEY_FAULTS,
      settings.MOBILE_MONEY_FAULT_SEED,
      new Date(),
    );
    this.random = mulberry32(this.active.seed);
    this.poll = new WorkerLoop('fault-config-poll', () => this.pollOnce(), FAULT_CONFIG_POLL_MS, this.logger);
  }

  /**
   * Loads the configuration in force before the server listens. A stored configuration that no
   * longer validates stops the boot: silently running other faults than the ones set would be worse.
   */
  async onModuleInit(): Promise<void> {
    const stored = await this.store.current();
    if (stored)
      this.install(FaultConfigState.fromStoredChange(stored, this.settings.MOBILE_MONEY_FAULT_SEED));
    this.logger.log(
      { source: this.active.source.kind, version: this.active.version, seed: this.active.seed },
      'fault configuration loaded',
    );
  }

  onApplicationBootstrap(): void {
    this.poll.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.poll.stop();
  }

  state(): FaultState {
    const { config, seed, changedBy, changedAt, source } = this.active;
    return { config, seed, changedBy, changedAt, source };
  }

  /**
   * Replaces the whole configuration (PUT) or switches every fault off (DELETE, `{}`): stored and
   * made current in one transaction, and installed in memory only after the commit, so a process
   * never runs a configuration that a rollback undid. Answers with the configuration in force.
   */
  async replace(
    config: FaultConfig,
    changedBy: string,
    action: 'replace' | 'clear' = 'replace',
  ): Promise<FaultState> {
    const stored = await this.store.record({
      action,
      config,
      seed: FaultConfigState.effectiveSeed(config, this.settings.MOBILE_MONEY_FAULT_SEED),
      changedBy,
    });
    this.installStored(stored);
    return this.state();
  }

  /** 503 during an outage, 429 above the rate limit, or null to let the request through; `weight`: the items of a bulk request. */
  admit(nowMs = Date.now(), weight = 1): ProviderError | null {
    if (FaultPlan.isOutage(this.active.config, nowMs)) {
      return ProviderError.unavailable('the provider is unavailable (outage)');
    }
    const limit = this.active.config.rateLimit;
    if (limit) {
      const decision = this.limiter.take(limit.requestsPerSecond, nowMs, limit.retryAfterSeconds, weight);
      if (!decision.allowed) return ProviderError.tooManyRequests(decision.retryAfterSeconds);
    }
    return null;
  }

  decideRequest(msisdn?: string | null): RequestFaults {
    return FaultPlan.decideRequest(FaultPlan.profileFor(this.active.config, msisdn), this.random);
  }

  decideCallback(msisdn: string): CallbackFaultDecision {
    return FaultPlan.decideCallback(FaultPlan.profileFor(this.active.config, msisdn).callbacks, this.random);
  }

  processingDelayMs(msisdn: string): number {
    return (
      FaultPlan.profileFor(this.active.config, msisdn).processingDelayMs ??
      this.settings.MOBILE_MONEY_PROCESSING_DELAY_MS
    );
  }

  /** One poll: installs a change made through another process (or this one, if it got here first). */
  private async pollOnce(): Promise<boolean> {
    const stored = await this.store.newerThan(this.active.version);
    if (stored && stored.id !== this.refusedVersion) {
      try {
        this.installStored(stored);
      } catch (error) {
        // Keep the configuration in force rather than crash a running provider; say so once.
        this.refusedVersion = stored.id;
        this.logger.error(
          { error: safeError(error), changeId: stored.id },
          'stored fault configuration refused',
        );
      }
    }
    return false;
  }

  private installStored(stored: StoredFaultChange): void {
    const incoming = FaultConfigState.fromStoredChange(stored, this.settings.MOBILE_MONEY_FAULT_SEED);
    if (FaultConfigState.supersedes(incoming, this.active)) this.install(incoming);
  }

  /** Swaps everything the hot path reads in one synchronous step, and restarts the random stream. */
  private install(next: ActiveFaultConfig): void {
    this.active = next;
    this.random = mulberry32(next.seed);
    this.limiter.reset();
  }

  /** Waits `ms`, unless the service shuts down first (held responses must not keep it alive). */
  hang(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const release = () => {
        clearTimeout(timer);
        this.hanging.delete(release);
        resolve();
      };
      const timer = setTimeout(release, ms);
      this.hanging.add(release);
    });
  }

  beforeApplicationShutdown(): void {
    for (const release of [...this.hanging]) release();
  }
}
