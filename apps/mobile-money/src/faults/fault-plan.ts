import type { CallbackFaults, FaultConfig, FaultProfile, LatencyDistribution } from './fault-config.schema';
import type { Random } from './prng';

export type RequestFailure =
  | { kind: 'none' }
  | { kind: 'error'; phase: 'before' | 'after' }
  | { kind: 'timeout'; mode: 'hang' | 'reset'; hangMs: number };

export interface RequestFaults {
  latencyMs: number;
  failure: RequestFailure;
}

export interface CallbackFaultDecision {
  drop: boolean;
  duplicate: boolean;
  delayMs: number;
  /** `final`: the final callback is sent while the status query still shows PENDING; `pending`: a premature PENDING callback. */
  early: 'final' | 'pending' | null;
  earlyLagMs: number;
}

export const DEFAULT_HANG_MS = 30_000;
export const DEFAULT_EARLY_LAG_MS = 2_000;

/**
 * Pure fault decisions: given the configuration and a seeded random source, what happens to one
 * request or one callback. Every decision draws a fixed number of values from the stream, so the
 * same seed and the same sequence of requests give the same faults whatever the configuration.
 */
export class FaultPlan {
  /** The global profile with the number's overrides merged over it, field by field. */
  static profileFor(config: FaultConfig, msisdn?: string | null): FaultProfile {
    const global = config.global ?? {};
    const override = msisdn ? config.msisdns?.[msisdn] : undefined;
    if (!override) return global;
    return {
      ...global,
      ...override,
      callbacks:
        global.callbacks || override.callbacks ? { ...global.callbacks, ...override.callbacks } : undefined,
    };
  }

  static isOutage(config: FaultConfig, nowMs: number): boolean {
    if (config.outage) return true;
    return (config.outages ?? []).some(
      (window) => Date.parse(window.from) <= nowMs && nowMs < Date.parse(window.to),
    );
  }

  /** Draws 5 values: latency (2), error, error phase, timeout. */
  static decideRequest(profile: FaultProfile, random: Random): RequestFaults {
    const latencyMs = FaultPlan.sampleLatency(profile.latency, random);
    const errorDraw = random();
    const phaseDraw = random();
    const timeoutDraw = random();
    let failure: RequestFailure = { kind: 'none' };
    if (errorDraw < (profile.errorRate ?? 0)) {
      const configured = profile.errorPhase ?? 'before';
      const phase = configured === 'random' ? (phaseDraw < 0.5 ? 'before' : 'after') : configured;
      failure = { kind: 'error', phase };
    } else if (timeoutDraw < (profile.timeoutRate ?? 0)) {
      failure = {
        kind: 'timeout',
        mode: profile.timeoutMode ?? 'hang',
        hangMs: profile.hangMs ?? DEFAULT_HANG_MS,
      };
    }
    return { latencyMs, failure };
  }

  /** Draws 5 values: drop, duplicate, early, delay (2). */
  static decideCallback(callbacks: CallbackFaults | undefined, random: Random): CallbackFaultDecision {
    const dropDraw = random();
    const duplicateDraw = random();
    const earlyDraw = random();
    const delay =
      callbacks?.delay ??
      (callbacks?.delayMs !== undefined ? { kind: 'fixed' as const, ms: callbacks.delayMs } : undefined);
    const delayMs = FaultPlan.sampleLatency(delay, random);
    return {
      drop: dropDraw < (callbacks?.dropRate ?? 0),
      duplicate: duplicateDraw < (callbacks?.duplicateRate ?? 0),
      delayMs,
      early: earlyDraw < (callbacks?.earlyRate ?? 0) ? (callbacks?.earlyKind ?? 'final') : null,
      earlyLagMs: callbacks?.earlyLagMs ?? DEFAULT_EARLY_LAG_MS,
    };
  }

  /** Always draws two values (Box–Muller needs two), so the stream advances the same for every kind. */
  static sampleLatency(distribution: LatencyDistribution | undefined, random: Random): number {
    const u1 = random();
    const u2 = random();
    if (!distribution) return 0;
    switch (distribution.kind) {
      case 'fixed':
        return distribution.ms;
      case 'uniform':
        return Math.round(distribution.minMs + u1 * (distribution.maxMs - distribution.minMs));
      case 'normal': {
        const z = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
        return Math.max(0, Math.round(distribution.meanMs + z * distribution.stdDevMs));
      }
    }
  }
}
