import gammainc from '@stdlib/math-base-special-gammainc';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/** The standard normal 97.5% quantile, for every two-sided 95% interval here. */
export const Z_95: number = normalQuantile(0.975, 0, 1);

/**
 * P(X >= statistic) for X ~ chi-squared(df), as the regularized upper incomplete gamma
 * Q(df/2, x/2). Computing the upper tail directly keeps tiny p-values' digits; 1 - cdf would
 * round them to 0 below about 1e-16.
 */
export function chiSquaredUpperTail(statistic: number, df: number): number {
  if (statistic <= 0) return 1;
  return gammainc(statistic / 2, df / 2, true, true);
}
