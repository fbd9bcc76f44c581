import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProviderError } from '../common/provider-error';
import { MOBILE_MONEY_CONFIG } from '../config/mobile-money.config';
import type { MobileMoneyConfig } from '../config/mobile-money.config';
import type { FaultConfig } from './fault-config.schema';
import { CallbackFaultDecision, FaultPlan, RequestFaults } from './fault-plan';
import { mulberry32, Random } from './prng';
import { RateLimiter } from './rate-limiter';

export interface FaultState {
  config: FaultConfig;
  seed: number;
  changedBy: string;
  changedAt: string;
}

/**
 * The live fault configuration (from MOBILE_MONEY_FAULTS at boot, replaced by PUT /admin/faults),
 * its seeded random stream, the rate limiter, and the responses currently held back by a "hang".
 */
@Injectable()
export class FaultService implements BeforeApplicationShutdown {
  private config: FaultConfig;
  private seed: number;
  private random: Random;
  private changedBy = 'environment';
  private changedAt = new Date().toISOString();
  private readonly limiter = new RateLimiter();
  private readonly hanging = new Set<() => void>();

  constructor(
    @Inject(MOBILE_MONEY_CONFIG) private readonly settings: MobileMoneyConfig,
    private readonly dataSource: DataSource,
  ) {
    this.config = settings.MOBILE_MONEY_FAULTS;
    this.seed = this.config.seed ?? settings.MOBILE_MONEY_FAULT_SEED;
    this.random = mulberry32(this.seed);
  }

  state(): FaultState {
    return { config: this.config, seed: this.seed, changedBy: this.changedBy, changedAt: this.changedAt };
  }

  /** Replaces the whole configuration and restarts the random stream from its seed; the change is audited. */
  async replace(config: FaultConfig, changedBy: string): Promise<FaultState> {
    await this.dataSource.query(`INSERT INTO fault_config_changes (config, changed_by) VALUES ($1, $2)`, [
      JSON.stringify(config),
      changedBy,
    ]);
    this.config = config;
    this.seed = config.seed ?? this.settings.MOBILE_MONEY_FAULT_SEED;
    this.random = mulberry32(this.seed);
    this.limiter.reset();
    this.changedBy = changedBy;
    this.changedAt = new Date().toISOString();
    return this.state();
  }

  /** 503 during an outage, 429 above the rate limit, or null to let the request through. */
  admit(nowMs = Date.now()): ProviderError | null {
    if (FaultPlan.isOutage(this.config, nowMs)) {
      return ProviderError.unavailable('the provider is unavailable (outage)');
    }
    const limit = this.config.rateLimit;
    if (limit) {
      const decision = this.limiter.take(limit.requestsPerSecond, nowMs, limit.retryAfterSeconds);
      if (!decision.allowed) return ProviderError.tooManyRequests(decision.retryAfterSeconds);
    }
    return null;
  }

  decideRequest(msisdn?: string | null): RequestFaults {
    return FaultPlan.decideRequest(FaultPlan.profileFor(this.config, msisdn), this.random);
  }

  decideCallback(msisdn: string): CallbackFaultDecision {
    return FaultPlan.decideCallback(FaultPlan.profileFor(this.config, msisdn).callbacks, this.random);
  }

  processingDelayMs(msisdn: string): number {
    return (
      FaultPlan.profileFor(this.config, msisdn).processingDelayMs ??
      this.settings.MOBILE_MONEY_PROCESSING_DELAY_MS
    );
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
