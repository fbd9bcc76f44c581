import type { Directive } from './advance-payout-line.use-case';

/**
 * Lines travel through the disbursement queue in groups: one BullMQ job runs up to `groupSize`
 * lines side by side. Every queue operation is a Redis round trip, and on a busy machine those
 * cost as much CPU as the provider call itself, so one job per line (sent, parked, woken,
 * finished) spent more on bookkeeping than on paying. Grouping changes nothing about what happens
 * to a line: each one is still advanced from its own recorded state by the same rules.
 */
export interface LineGrouping {
  /** Lines per job. */
  groupSize: number;
  /** Jobs the worker runs at once: groupSize × this ≈ the configured number of lines in flight. */
  workerConcurrency: number;
  /** BullMQ limiter (jobs per second), or null for no limit. */
  jobsPerSecond: number | null;
}

export function lineGrouping(options: { concurrency: number; ratePerSecond: number; maxGroupSize: number }): LineGrouping {
  const { concurrency, ratePerSecond, maxGroupSize } = options;
  let groupSize = Math.max(1, Math.min(maxGroupSize, concurrency));
  // A configured provider rate is kept per line: a job holds at most a tenth of a second's worth
  // of lines, and the limiter lets through only as many jobs as keep lines/s within the rate.
  if (ratePerSecond > 0) groupSize = Math.max(1, Math.min(groupSize, Math.floor(ratePerSecond / 10)));
  return {
    groupSize,
    workerConcurrency: Math.max(1, Math.ceil(concurrency / groupSize)),
    jobsPerSecond: ratePerSecond > 0 ? Math.max(1, Math.floor(ratePerSecond / groupSize)) : null,
  };
}

/** What the worker does with a group once each of its lines has run. */
export interface GroupFollowUp {
  /** Lines to run again later (a pending cash-in's next status query), by delay. */
  rechecks: { delayMs: number; lineIds: string[] }[];
  /** Lines the same job must run again: it keeps only these. */
  again: string[];
  /** The provider said 429: pause the queue this long before running `again`. */
  rateLimitMs: number | null;
  /** Otherwise `again` is retried with backoff, for this reason. */
  retryReason: string | null;
}

export function followUpAfterGroup(results: readonly { lineId: string; directive: Directive }[]): GroupFollowUp {
  const byDelay = new Map<number, string[]>();
  const again: string[] = [];
  let rateLimitMs: number | null = null;
  let retryReason: string | null = null;
  for (const { lineId, directive } of results) {
    switch (directive.kind) {
      case 'done':
        break;
      case 'recheck': {
        const lines = byDelay.get(directive.delayMs) ?? [];
        lines.push(lineId);
        byDelay.set(directive.delayMs, lines);
        break;
      }
      case 'rate_limited':
        again.push(lineId);
        rateLimitMs = Math.max(rateLimitMs ?? 0, directive.retryAfterMs);
        break;
      case 'retry':
        again.push(lineId);
        retryReason ??= directive.reason;
        break;
    }
  }
  return {
    rechecks: [...byDelay].map(([delayMs, lineIds]) => ({ delayMs, lineIds })),
    again,
    rateLimitMs,
    retryReason: again.length > 0 && rateLimitMs === null ? retryReason : null,
  };
}
