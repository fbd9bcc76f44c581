import { followUpAfterGroup, lineGrouping } from './line-groups.rules';

describe('lineGrouping', () => {
  it('runs about the configured number of lines at once, in groups of at most the configured size', () => {
    expect(lineGrouping({ concurrency: 128, ratePerSecond: 0, maxGroupSize: 25 })).toEqual({ groupSize: 25, workerConcurrency: 6, jobsPerSecond: null });
    expect(lineGrouping({ concurrency: 16, ratePerSecond: 0, maxGroupSize: 25 })).toEqual({ groupSize: 16, workerConcurrency: 1, jobsPerSecond: null });
  });

  it('keeps one line at a time when the concurrency is 1', () => {
    expect(lineGrouping({ concurrency: 1, ratePerSecond: 0, maxGroupSize: 25 })).toEqual({ groupSize: 1, workerConcurrency: 1, jobsPerSecond: null });
  });

  it('never lets more lines per second through than the configured provider rate', () => {
    for (const ratePerSecond of [1, 7, 50, 95, 1000, 12_345]) {
      const grouping = lineGrouping({ concurrency: 64, ratePerSecond, maxGroupSize: 25 });
      expect(grouping.groupSize * grouping.jobsPerSecond!).toBeLessThanOrEqual(Math.max(ratePerSecond, 1));
      expect(grouping.groupSize).toBeLessThanOrEqual(Math.max(1, Math.floor(ratePerSecond / 10)));
    }
    expect(lineGrouping({ concurrency: 32, ratePerSecond: 50, maxGroupSize: 25 })).toEqual({ groupSize: 5, workerConcurrency: 7, jobsPerSecond: 10 });
  });
});

describe('followUpAfterGroup', () => {
  it('parks lines waiting for their outcome by delay and finishes the rest', () => {
    const followUp = followUpAfterGroup([
      { lineId: 'a', directive: { kind: 'recheck', delayMs: 60_000 } },
      { lineId: 'b', directive: { kind: 'done' } },
      { lineId: 'c', directive: { kind: 'recheck', delayMs: 2_000 } },
      { lineId: 'd', directive: { kind: 'recheck', delayMs: 60_000 } },
    ]);
    expect(followUp).toEqual({
      rechecks: [
        { delayMs: 60_000, lineIds: ['a', 'd'] },
        { delayMs: 2_000, lineIds: ['c'] },
      ],
      again: [],
      rateLimitMs: null,
      retryReason: null,
    });
  });

  it('keeps only the rate-limited and failed lines for the next run, waiting the longest Retry-After', () => {
    const followUp = followUpAfterGroup([
      { lineId: 'a', directive: { kind: 'rate_limited', retryAfterMs: 1_000 } },
      { lineId: 'b', directive: { kind: 'recheck', delayMs: 5_000 } },
      { lineId: 'c', directive: { kind: 'retry', reason: 'credentials refused' } },
      { lineId: 'd', directive: { kind: 'rate_limited', retryAfterMs: 3_000 } },
    ]);
    expect(followUp).toEqual({ rechecks: [{ delayMs: 5_000, lineIds: ['b'] }], again: ['a', 'c', 'd'], rateLimitMs: 3_000, retryReason: null });
  });

  it('retries failed lines with backoff, giving the first reason', () => {
    const followUp = followUpAfterGroup([
      { lineId: 'a', directive: { kind: 'done' } },
      { lineId: 'b', directive: { kind: 'retry', reason: 'provider unreachable for the SMS' } },
      { lineId: 'c', directive: { kind: 'retry', reason: 'another' } },
    ]);
    expect(followUp).toEqual({ rechecks: [], again: ['b', 'c'], rateLimitMs: null, retryReason: 'provider unreachable for the SMS' });
  });
});
