/**
 * A quantity the data may not define (a zero cell for an odds ratio, an empty group for a rate).
 * Callers branch on `estimable` instead of meeting NaN or Infinity, which JSON would turn into
 * null and a reader could mistake for a value.
 */
export interface NotEstimable {
  readonly estimable: false;
  readonly reason: string;
}

export type Estimable<T extends object> = ({ readonly estimable: true } & T) | NotEstimable;

export type Interval = readonly [lower: number, upper: number];

/** A point estimate with its 95% confidence interval. */
export type IntervalEstimate = Estimable<{ readonly estimate: number; readonly ci95: Interval }>;

/** A point estimate the analysis gives without an interval. */
export type PointEstimate = Estimable<{ readonly estimate: number }>;

/** A chi-squared test; `p` is the upper-tail probability. */
export type ChiSquaredTest = Estimable<{
  readonly statistic: number;
  readonly df: number;
  readonly p: number;
}>;

/** A test reported by its p-value alone (Fisher's exact test). */
export type ExactTest = Estimable<{ readonly p: number }>;

export function notEstimable(reason: string): NotEstimable {
  return { estimable: false, reason };
}

export function intervalEstimate(estimate: number, lower: number, upper: number): IntervalEstimate {
  // A rounding slip must never surface as NaN/Infinity; treat it as a bug-shaped "not estimable".
  if (!Number.isFinite(estimate) || !Number.isFinite(lower) || !Number.isFinite(upper)) {
    return notEstimable('the estimate is not finite for these counts');
  }
  return { estimable: true, estimate, ci95: [lower, upper] };
}

export function chiSquaredTest(statistic: number, df: number, p: number): ChiSquaredTest {
  if (!Number.isFinite(statistic) || !Number.isFinite(p)) {
    return notEstimable('the test statistic is not finite for these counts');
  }
  return { estimable: true, statistic, df, p };
}
