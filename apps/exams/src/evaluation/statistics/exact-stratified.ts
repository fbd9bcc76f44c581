import {
  beyondSearchBound,
  ConditionalTableDistribution,
  MAX_LOG_ODDS,
  solveIncreasing,
} from './conditional-2x2';
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
 * hypergeometric distributions, tilted by psi^S under a common odds ratio psi.
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

  const lo = distributions.reduce((sum, d) => sum + d.lo, 0);
  const hi = lo + width - 1;
  const central = new TiltedDistribution(lo, convolve(distributions, 0));
  return {
    test: { estimable: true, p: central.twoSidedP(observed) },
    commonOddsRatio:
      observed === lo || observed === hi
        ? notEstimable(
            'the conditional common odds ratio is 0 or infinite: the observed total is the most extreme the margins allow',
          )
        : commonOddsRatio(distributions, lo, observed),
  };
}

/**
 * The convolution of the strata's distributions under a common odds ratio exp(logOdds), as log
 * pmf. Each stratum's pmf is relative to its own peak and the running product is rescaled to its
 * peak after each step, like R's d2x2xk, so only values below 1e-308 of the peak underflow; they
 * become -Infinity.
 */
function convolve(distributions: readonly ConditionalTableDistribution[], logOdds: number): Float64Array {
  let density = new Float64Array([1]);
  for (const d of distributions) {
    if (d.lo === d.hi) continue;
    const own = d.relativePmf(logOdds);
    let first = 0;
    while (own[first] === 0) first++;
    let last = own.length - 1;
    while (own[last] === 0) last--;
    const next = new Float64Array(density.length + own.length - 1);
    for (let i = 0; i < density.length; i++) {
      const left = density[i];
      if (left === 0) continue;
      for (let j = first; j <= last; j++) next[i + j] += left * own[j];
    }
    let max = 0;
    for (const value of next) max = Math.max(max, value);
    for (let i = 0; i < next.length; i++) next[i] /= max;
    density = next;
  }
  let total = 0;
  for (const value of density) total += value;
  return density.map((value) => Math.log(value / total));
}

/**
 * Conditional MLE of the common odds ratio and its exact interval. Under psi = 1 a strong
 * association puts the observed total below 1e-308 of the peak, where the central convolution
 * has underflowed; so the convolution is redone tilted to the estimate, which puts the observed
 * total at its peak. The estimate itself needs no convolution: the mean of the sum is the sum of
 * the strata's means.
 */
function commonOddsRatio(
  distributions: readonly ConditionalTableDistribution[],
  lo: number,
  observed: number,
  alpha = 0.05,
): IntervalEstimate {
  const estimate = solveIncreasing((t) => {
    let mean = 0;
    for (const d of distributions) mean += d.moments(t, d.lo).mean;
    return mean - observed;
  });
  if (Number.isNaN(estimate)) return beyondSearchBound();
  const tilted = new TiltedDistribution(lo, convolve(distributions, estimate));
  if (tilted.logPmf[observed - lo] === -Infinity) {
    return notEstimable('the observed total is too unlikely to compute the conditional common odds ratio');
  }
  // Searched as offsets from the estimate, the tilt the distribution already carries.
  const lower = solveIncreasing((t) => tilted.moments(t, observed).upperTail - alpha / 2);
  const upper = solveIncreasing((t) => alpha / 2 - tilted.moments(t, observed).lowerTail);
  if (
    Number.isNaN(lower) ||
    Number.isNaN(upper) ||
    Math.abs(estimate + lower) >= MAX_LOG_ODDS ||
    Math.abs(estimate + upper) >= MAX_LOG_ODDS
  ) {
    return beyondSearchBound();
  }
  return intervalEstimate(Math.exp(estimate), Math.exp(estimate + lower), Math.exp(estimate + upper));
}

/** A distribution on lo..lo+n-1 given by its log pmf (at psi = 1, or at the tilt it was convolved with), tilted further by psi^x. */
class TiltedDistribution {
  constructor(
    private readonly lo: number,
    readonly logPmf: Float64Array,
  ) {}

  /** R's rule: total probability of the values no more likely than the observed one. */
  twoSidedP(x: number): number {
    const threshold = this.logPmf[x - this.lo] + Math.log1p(RELATIVE_TIE_TOLERANCE);
    let p = 0;
    for (const value of this.logPmf) if (value <= threshold) p += Math.exp(value);
    return Math.min(1, p);
  }

  moments(logOdds: number, x: number): { mean: number; lowerTail: number; upperTail: number } {
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
}
