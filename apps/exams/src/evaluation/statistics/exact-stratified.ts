import { ConditionalTableDistribution, solveIncreasing } from './conditional-2x2';
import type { TwoByTwoTable } from './counts';
import { intervalEstimate, notEstimable, type ExactTest, type IntervalEstimate } from './estimable';

/**
 * Work limit (multiply-adds of the convolution) for the exact test. The exact test matters for
 * small samples, where it costs microseconds; a million results would need minutes, and there
 * the CMH test is as good, so beyond this the exact answer is declared not computed.
 */
export const MAX_EXACT_STRATIFIED_WORK = 20_000_000;

const RELATIVE_TIE_TOLERANCE = 1e-7;

export interface ExactStratifiedAnalysis {
  /** Exact conditional test of independence in 2x2xK tables, two-sided (R: mantelhaen.test(exact = TRUE)). */
  readonly test: ExactTest;
  /** Conditional maximum-likelihood common odds ratio with its exact 95% interval. */
  readonly commonOddsRatio: IntervalEstimate;
}

/**
 * Given every stratum's margins, the sum S of the a cells has the convolution of the strata's
 * hypergeometric distributions, tilted by psi^S under a common odds ratio psi. Convolved in
 * linear space rescaled at each step, like R's d2x2xk, and kept as logs afterwards.
 */
export function exactStratifiedAnalysis(tables: readonly TwoByTwoTable[]): ExactStratifiedAnalysis {
  const distributions = tables
    .filter((t) => t.a + t.b + t.c + t.d > 0)
    .map((t) => ConditionalTableDistribution.ofTable(t));
  const observed = tables.reduce((sum, t) => sum + t.a, 0);
  let work = 0;
  let width = 1;
  for (const d of distributions) {
    work += width * (d.hi - d.lo + 1);
    width += d.hi - d.lo;
  }
  if (width === 1) {
    const reason = 'the exact stratified test needs a stratum with both groups and both passes and failures';
    return { test: notEstimable(reason), commonOddsRatio: notEstimable(reason) };
  }
  if (work > MAX_EXACT_STRATIFIED_WORK) {
    const reason =
      'not computed: too many results for the exact stratified test; the Cochran–Mantel–Haenszel test applies';
    return { test: notEstimable(reason), commonOddsRatio: notEstimable(reason) };
  }

  let lo = 0;
  let density = new Float64Array([1]);
  for (const d of distributions) {
    lo += d.lo;
    if (d.lo === d.hi) continue;
    const own = new Float64Array(d.hi - d.lo + 1);
    for (let j = 0; j < own.length; j++) own[j] = Math.exp(d.logCentralPmf(d.lo + j));
    const next = new Float64Array(density.length + own.length - 1);
    for (let i = 0; i < density.length; i++) {
      const left = density[i];
      if (left === 0) continue;
      for (let j = 0; j < own.length; j++) next[i + j] += left * own[j];
    }
    let max = 0;
    for (const value of next) max = Math.max(max, value);
    for (let i = 0; i < next.length; i++) next[i] /= max;
    density = next;
  }
  let total = 0;
  for (const value of density) total += value;
  const logPmf = density.map((value) => Math.log(value / total)); // -Infinity where it underflowed
  const distribution = new TiltedDistribution(lo, logPmf);
  const hi = lo + logPmf.length - 1;
  return {
    test: { estimable: true, p: distribution.twoSidedP(observed) },
    commonOddsRatio:
      observed === lo || observed === hi
        ? notEstimable(
            'the conditional common odds ratio is 0 or infinite: the observed total is the most extreme the margins allow',
          )
        : distribution.conditionalOddsRatio(observed),
  };
}

/** A distribution on lo..lo+n-1 given by its log pmf at psi = 1, tilted by psi^x. */
class TiltedDistribution {
  constructor(
    private readonly lo: number,
    private readonly logPmf: Float64Array,
  ) {}

  /** R's rule: total probability of the values no more likely than the observed one. */
  twoSidedP(x: number): number {
    const threshold = this.logPmf[x - this.lo] + Math.log1p(RELATIVE_TIE_TOLERANCE);
    let p = 0;
    for (const value of this.logPmf) if (value <= threshold) p += Math.exp(value);
    return Math.min(1, p);
  }

  private moments(logOdds: number, x: number): { mean: number; lowerTail: number; upperTail: number } {
    let max = -Infinity;
    for (let i = 0; i < this.logPmf.length; i++)
      max = Math.max(max, this.logPmf[i] + logOdds * (this.lo + i - x));
    let total = 0;
    let offsetSum = 0;
    let atMost = 0;
    let atLeast = 0;
    for (let i = 0; i < this.logPmf.length; i++) {
      const offset = this.lo + i - x; // relative to x, which keeps exp() in range and the mean's digits
      const weight = Math.exp(this.logPmf[i] + logOdds * offset - max);
      total += weight;
      offsetSum += offset * weight;
      if (offset <= 0) atMost += weight;
      if (offset >= 0) atLeast += weight;
    }
    return { mean: x + offsetSum / total, lowerTail: atMost / total, upperTail: atLeast / total };
  }

  conditionalOddsRatio(x: number, alpha = 0.05): IntervalEstimate {
    const estimate = solveIncreasing((t) => this.moments(t, x).mean - x);
    const lower = solveIncreasing((t) => this.moments(t, x).upperTail - alpha / 2);
    const upper = solveIncreasing((t) => alpha / 2 - this.moments(t, x).lowerTail);
    return intervalEstimate(Math.exp(estimate), Math.exp(lower), Math.exp(upper));
  }
}
