import { validateGroupCounts, type GroupCounts } from './counts';
import { Z_95 } from './distributions';
import { intervalEstimate, notEstimable, type Interval, type IntervalEstimate } from './estimable';

/** Pass rate of one group with its Wilson interval. */
export interface GroupSummary {
  readonly n: number;
  readonly passed: number;
  readonly failed: number;
  readonly passRate: IntervalEstimate;
}

/**
 * Wilson score interval without continuity correction (Wilson 1927; Newcombe 1998, Stat Med 17:857,
 * method 3). Unlike the Wald interval it stays inside [0, 1] and behaves at 0 and n passes.
 * Assumes validated counts with n > 0.
 */
export function wilsonBounds(passed: number, n: number, z: number = Z_95): Interval {
  const p = passed / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At 0 or n passes the bound is exactly 0 or 1 analytically; don't let rounding leave 1e-17.
  const lower = passed === 0 ? 0 : Math.max(0, centre - halfWidth);
  const upper = passed === n ? 1 : Math.min(1, centre + halfWidth);
  return [lower, upper];
}

export function wilsonInterval(counts: GroupCounts, where = 'group'): IntervalEstimate {
  validateGroupCounts(counts, where);
  if (counts.n === 0) return notEstimable('a pass rate needs at least one result in the group');
  const [lower, upper] = wilsonBounds(counts.passed, counts.n);
  return intervalEstimate(counts.passed / counts.n, lower, upper);
}

export function summariseGroup(counts: GroupCounts, where = 'group'): GroupSummary {
  return {
    n: counts.n,
    passed: counts.passed,
    failed: counts.n - counts.passed,
    passRate: wilsonInterval(counts, where),
  };
}
