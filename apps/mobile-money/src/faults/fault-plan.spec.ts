import { faultConfigFromEnv, faultConfigSchema } from './fault-config.schema';
import { FaultPlan } from './fault-plan';
import { mulberry32 } from './prng';
import { RateLimiter } from './rate-limiter';

/** A random source that replays the given values. */
const sequence = (...values: number[]) => {
  let index = 0;
  return () => {
    if (index >= values.length) throw new Error('the plan drew more values than expected');
    return values[index++];
  };
};

describe('FaultPlan.profileFor', () => {
  it('merges a number override over the global profile, callbacks field by field', () => {
    const profile = FaultPlan.profileFor(
      {
        global: {
          errorRate: 0.1,
          latency: { kind: 'fixed', ms: 5 },
          callbacks: { dropRate: 0.5, duplicateRate: 0.2 },
        },
        msisdns: { '+22376000001': { errorRate: 1, callbacks: { dropRate: 0 } } },
      },
      '+22376000001',
    );
    expect(profile).toEqual({
      errorRate: 1,
      latency: { kind: 'fixed', ms: 5 },
      callbacks: { dropRate: 0, duplicateRate: 0.2 },
    });
  });

  it('uses the global profile for other numbers and requests without a number', () => {
    const config = { global: { errorRate: 0.1 }, msisdns: { '+22376000001': { errorRate: 1 } } };
    expect(FaultPlan.profileFor(config, '+22376000002')).toEqual({ errorRate: 0.1 });
    expect(FaultPlan.profileFor(config, null)).toEqual({ errorRate: 0.1 });
  });
});

describe('FaultPlan.decideRequest', () => {
  it('does nothing without a profile, and always draws five values', () => {
    expect(FaultPlan.decideRequest({}, sequence(0, 0, 0, 0, 0))).toEqual({
      latencyMs: 0,
      failure: { kind: 'none' },
    });
  });

  it('fails before or after by configured phase', () => {
    expect(FaultPlan.decideRequest({ errorRate: 0.5 }, sequence(0, 0, 0.4, 0.9, 0.9)).failure).toEqual({
      kind: 'error',
      phase: 'before',
    });
    expect(
      FaultPlan.decideRequest({ errorRate: 0.5, errorPhase: 'after' }, sequence(0, 0, 0.4, 0.1, 0.9)).failure,
    ).toEqual({
      kind: 'error',
      phase: 'after',
    });
    expect(
      FaultPlan.decideRequest({ errorRate: 0.5, errorPhase: 'random' }, sequence(0, 0, 0.4, 0.7, 0.9))
        .failure,
    ).toEqual({
      kind: 'error',
      phase: 'after',
    });
    expect(FaultPlan.decideRequest({ errorRate: 0.5 }, sequence(0, 0, 0.5, 0, 0.9)).failure).toEqual({
      kind: 'none',
    });
  });

  it('times out when the draw falls under the rate, with the configured mode', () => {
    expect(
      FaultPlan.decideRequest({ timeoutRate: 0.3, timeoutMode: 'reset' }, sequence(0, 0, 0.9, 0, 0.2))
        .failure,
    ).toEqual({
      kind: 'timeout',
      mode: 'reset',
      hangMs: 30_000,
    });
    expect(
      FaultPlan.decideRequest({ timeoutRate: 0.3, hangMs: 1500 }, sequence(0, 0, 0.9, 0, 0.2)).failure,
    ).toEqual({
      kind: 'timeout',
      mode: 'hang',
      hangMs: 1500,
    });
  });

  it('repeats the same decisions for the same seed', () => {
    const profile = {
      errorRate: 0.2,
      timeoutRate: 0.2,
      latency: { kind: 'uniform' as const, minMs: 0, maxMs: 100 },
    };
    const run = (seed: number) => {
      const random = mulberry32(seed);
      return Array.from({ length: 50 }, () => FaultPlan.decideRequest(profile, random));
    };
    expect(run(9)).toEqual(run(9));
    expect(run(9)).not.toEqual(run(10));
  });

  it('hits the configured rates over many draws', () => {
    const random = mulberry32(3);
    const decisions = Array.from({ length: 20_000 }, () =>
      FaultPlan.decideRequest({ errorRate: 0.1, timeoutRate: 0.2 }, random),
    );
    const errors =
      decisions.filter((decision) => decision.failure.kind === 'error').length / decisions.length;
    const timeouts =
      decisions.filter((decision) => decision.failure.kind === 'timeout').length / decisions.length;
    expect(errors).toBeGreaterThan(0.09);
    expect(errors).toBeLessThan(0.11);
    // Timeouts are drawn only for requests that did not fail: 0.9 × 0.2.
    expect(timeouts).toBeGreaterThan(0.165);
    expect(timeouts).toBeLessThan(0.195);
  });
});

describe('FaultPlan.sampleLatency', () => {
  it('samples fixed, uniform and normal latencies', () => {
    expect(FaultPlan.sampleLatency({ kind: 'fixed', ms: 40 }, sequence(0.3, 0.3))).toBe(40);
    expect(FaultPlan.sampleLatency({ kind: 'uniform', minMs: 100, maxMs: 200 }, sequence(0.25, 0))).toBe(125);
    // u1 = 1 - e^(-1/2) gives z = cos(2πu2) = 1 at u2 = 0: one standard deviation above the mean.
    expect(
      FaultPlan.sampleLatency({ kind: 'normal', meanMs: 100, stdDevMs: 20 }, sequence(1 - Math.exp(-0.5), 0)),
    ).toBe(120);
  });

  it('never returns a negative latency', () => {
    const random = mulberry32(5);
    const samples = Array.from({ length: 2000 }, () =>
      FaultPlan.sampleLatency({ kind: 'normal', meanMs: 10, stdDevMs: 50 }, random),
    );
    expect(Math.min(...samples)).toBe(0);
  });
});

describe('FaultPlan.decideCallback', () => {
  it('decides drop, duplicate, delay and early from one profile', () => {
    expect(
      FaultPlan.decideCallback(
        {
          dropRate: 0.5,
          duplicateRate: 0.5,
          earlyRate: 0.5,
          earlyKind: 'pending',
          delay: { kind: 'fixed', ms: 300 },
        },
        sequence(0.1, 0.2, 0.3, 0, 0),
      ),
    ).toEqual({ drop: true, duplicate: true, delayMs: 300, early: 'pending', earlyLagMs: 2000 });
    expect(
      FaultPlan.decideCallback({ dropRate: 0.5, earlyRate: 0.5 }, sequence(0.6, 0.2, 0.3, 0, 0)),
    ).toEqual({
      drop: false,
      duplicate: false,
      delayMs: 0,
      early: 'final',
      earlyLagMs: 2000,
    });
    expect(FaultPlan.decideCallback({ delayMs: 250 }, sequence(0.9, 0.9, 0.9, 0, 0))).toMatchObject({
      delayMs: 250,
    });
    expect(FaultPlan.decideCallback(undefined, sequence(0, 0, 0, 0, 0))).toEqual({
      drop: false,
      duplicate: false,
      delayMs: 0,
      early: null,
      earlyLagMs: 2000,
    });
  });
});

describe('FaultPlan.isOutage', () => {
  it('is on while the manual switch is on or inside a window (from inclusive, to exclusive)', () => {
    expect(FaultPlan.isOutage({ outage: true }, 0)).toBe(true);
    const config = { outages: [{ from: '2026-03-01T10:00:00Z', to: '2026-03-01T10:05:00Z' }] };
    expect(FaultPlan.isOutage(config, Date.parse('2026-03-01T09:59:59.999Z'))).toBe(false);
    expect(FaultPlan.isOutage(config, Date.parse('2026-03-01T10:00:00Z'))).toBe(true);
    expect(FaultPlan.isOutage(config, Date.parse('2026-03-01T10:05:00Z'))).toBe(false);
    expect(FaultPlan.isOutage({}, 0)).toBe(false);
  });
});

describe('RateLimiter', () => {
  it('allows the rate per one-second window and tells how long to wait', () => {
    const limiter = new RateLimiter();
    expect(limiter.take(2, 10_100)).toEqual({ allowed: true });
    expect(limiter.take(2, 10_200)).toEqual({ allowed: true });
    expect(limiter.take(2, 10_300)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take(2, 11_000)).toEqual({ allowed: true });
    expect(limiter.take(1, 11_001, 7)).toEqual({ allowed: false, retryAfterSeconds: 7 });
  });

  it('counts a bulk request as many requests as it carries items', () => {
    const limiter = new RateLimiter();
    expect(limiter.take(10, 20_000, undefined, 4)).toEqual({ allowed: true });
    expect(limiter.take(10, 20_100, undefined, 4)).toEqual({ allowed: true });
    // Room is left (8 of 10), so the next bulk passes and fills the window past the rate.
    expect(limiter.take(10, 20_200, undefined, 4)).toEqual({ allowed: true });
    expect(limiter.take(10, 20_300)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take(10, 21_000, undefined, 25)).toEqual({ allowed: true });
    expect(limiter.take(10, 21_500)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });
});

describe('fault configuration', () => {
  it('accepts a full configuration', () => {
    const config = {
      seed: 7,
      global: {
        latency: { kind: 'normal', meanMs: 80, stdDevMs: 20 },
        timeoutRate: 0.05,
        timeoutMode: 'hang',
        hangMs: 10_000,
        errorRate: 0.02,
        errorPhase: 'random',
        processingDelayMs: 500,
        callbacks: {
          dropRate: 0.1,
          duplicateRate: 0.1,
          delay: { kind: 'fixed', ms: 100 },
          earlyRate: 0.05,
          earlyKind: 'final',
          earlyLagMs: 1000,
        },
      },
      msisdns: { '+22376000001': { errorRate: 1 } },
      rateLimit: { requestsPerSecond: 50, retryAfterSeconds: 2 },
      outage: false,
      outages: [{ from: '2026-03-01T10:00:00Z', to: '2026-03-01T11:00:00Z' }],
    };
    expect(faultConfigSchema.parse(config)).toEqual(config);
  });

  it.each([
    [{ global: { errorRate: 2 } }, 'global.errorRate'],
    [{ global: { latency: { kind: 'uniform', minMs: 5, maxMs: 1 } } }, 'global.latency.minMs'],
    [{ msisdns: { '22376000001': {} } }, 'msisdns.22376000001'],
    [{ outages: [{ from: '2026-03-01T11:00:00Z', to: '2026-03-01T10:00:00Z' }] }, 'outages.0.to'],
    [{ global: { errorRat: 0.1 } }, 'global'],
  ])('refuses %j', (config, path) => {
    const result = faultConfigSchema.safeParse(config);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });

  it('reads MOBILE_MONEY_FAULTS: empty is no faults, bad JSON names the problem', () => {
    expect(faultConfigFromEnv.parse('')).toEqual({});
    expect(faultConfigFromEnv.parse('{"global":{"errorRate":0.5}}')).toEqual({ global: { errorRate: 0.5 } });
    expect(faultConfigFromEnv.safeParse('{oops').error!.issues[0].message).toMatch(/must be JSON/);
    expect(faultConfigFromEnv.safeParse('{"global":{"errorRate":5}}').error!.issues[0].message).toMatch(
      /global.errorRate/,
    );
  });
});
