import {
  beyondSearchBound,
  ConditionalTableDistribution,
  MAX_LOG_ODDS,
  MAX_SOLVE_EVALUATIONS,
  solveIncreasing,
  walkBound,
  WINDOW_CUTOFF,
} from './conditional-2x2';
import type { TwoByTwoTable } from './counts';
import { intervalEstimate, notEstimable, type ExactTest, type IntervalEstimate } from './estimable';
import type { WorkMeter } from './work-meter';

/**
 * Work limit (terms visited: pmf terms, multiply-adds of the convolutions, exp() calls of the
 * root searches; see exactStratifiedWork) for the exact test. The exact test matters for small
 * samples, where it costs microseconds; a million results in several strata would need minutes,
 * and there the CMH test is as good, so beyond this the exact answer is declared not computed.
 */
export const MAX_EXACT_STRATIFIED_WORK = 20_000_000;

const RELATIVE_TIE_TOLERANCE = 1e-7;
const LOG_WINDOW_CUTOFF = Math.log(WINDOW_CUTOFF);

export interface ExactStratifiedAnalysis {
  /** Exact conditional test of independence in 2x2xK tables, two-sided (R: mantelhaen.test(exact = TRUE)). */
  readonly test: ExactTest;
  /** Conditional maximum-likelihood common odds ratio with its exact 95% interval. */
  readonly commonOddsRatio: IntervalEstimate;
}

/** Strata whose margins allow more than one table; the others add a constant to the sum of the a cells. */
function informativeStrata(tables: readonly TwoByTwoTable[]): TwoByTwoTable[] {
  return tables.filter((t) => {
    const d = ConditionalTableDistribution.ofTable(t);
    return d.lo < d.hi;
  });
}

/**
 * Upper bound on the terms exactStratifiedAnalysis visits (what its meter counts), compared with
 * MAX_EXACT_STRATIFIED_WORK before any of the work is done. With one informative stratum it is
 * the 2x2 computation's; otherwise two convolutions (central, and tilted to the estimate), the
 * p-value's pass, the estimate's search over the strata's windows and the interval's two searches
 * over the window of the convolution (1e-20 of its tilted peak).
 */
export function exactStratifiedWork(tables: readonly TwoByTwoTable[]): number {
  const strata = informativeStrata(tables).map((t) => ConditionalTableDistribution.ofTable(t));
  if (strata.length === 0) return 0;
  if (strata.length === 1) return strata[0].workBound();
  let convolution = 0;
  let width = 1;
  let strataWindows = 0;
  for (const d of strata) {
    const own = d.hi - d.lo + 1;
    convolution += own + width * own + 2 * (width + own - 1); // own pmf, multiply-adds, rescaling
    width += own - 1;
    strataWindows += walkBound(own - 1, LOG_WINDOW_CUTOFF);
  }
  convolution += 2 * width; // total and logs
  const distribution = width; // scanned for its finite range
  return (
    2 * (convolution + distribution) +
    width + // the p-value's pass
    MAX_SOLVE_EVALUATIONS * strataWindows +
    2 * MAX_SOLVE_EVALUATIONS * walkBound(width - 1, LOG_WINDOW_CUTOFF)
  );
}

/**
 * Given every stratum's margins, the sum S of the a cells has the convolution of the strata's
 * hypergeometric distributions, tilted by psi^S under a common odds ratio psi. With a single
 * informative stratum that is the 2x2 table's distribution, so the 2x2 results are reused (they
 * are cheap at any size the 2x2 computes). The meter, for tests, counts the terms visited.
 */
export function exactStratifiedAnalysis(
  tables: readonly TwoByTwoTable[],
  meter?: WorkMeter,
): ExactStratifiedAnalysis {
  const informative = informativeStrata(tables);
  if (informative.length === 0) {
    const reason = 'the exact stratified test needs a stratum with both groups and both passes and failures';
    return { test: notEstimable(reason), commonOddsRatio: notEstimable(reason) };
  }
  if (informative.length === 1) {
    const table = ConditionalTableDistribution.ofTable(informative[0], meter);
    return {
      test: { estimable: true, p: table.twoSidedP(informative[0].a) },
      commonOddsRatio: table.conditionalOddsRatio(informative[0].a),
    };
  }
  if (exactStratifiedWork(tables) > MAX_EXACT_STRATIFIED_WORK) {
    const reason =
      'not computed: too many results for the exact stratified test; the Cochran–Mantel–Haenszel test applies';
    return { test: notEstimable(reason), commonOddsRatio: notEstimable(reason) };
  }
  return exactStratifiedByConvolution(tables, meter);
}

/**
 * The exact analysis by convolution, whatever the number of strata and with no work limit:
 * exactStratifiedAnalysis's general case, exported so tests can check it against the 2x2 results.
 */
export function exactStratifiedByConvolution(
  tables: readonly TwoByTwoTable[],
  meter?: WorkMeter,
): ExactStratifiedAnalysis {
  // Strata allowing a single table only shift the sum, so the sum is taken over the others.
  const distributions = informativeStrata(tables).map((t) => ConditionalTableDistribution.ofTable(t, meter));
  const observed = informativeStrata(tables).reduce((sum, t) => sum + t.a, 0);
  const lo = distributions.reduce((sum, d) => sum + d.lo, 0);
  const hi = distributions.reduce((sum, d) => sum + d.hi, 0);
  if (distributions.length === 0) {
    const reason = 'the exact stratified test needs a stratum with both groups and both passes and failures';
    return { test: notEstimable(reason), commonOddsRatio: notEstimable(reason) };
  }
  const central = new TiltedDistribution(lo, convolve(distributions, 0, meter), meter);
  return {
    test: { estimable: true, p: central.twoSidedP(observed) },
    commonOddsRatio:
      observed === lo || observed === hi
        ? notEstimable(
            'the conditional common odds ratio is 0 or infinite: the observed total is the most extreme the margins allow',
          )
        : commonOddsRatio(distributions, lo, observed, meter),
  };
}

/**
 * The convolution of the (informative) strata's distributions under a common odds ratio exp(logOdds), as log
 * pmf. Each stratum's pmf is relative to its own peak and the running product is rescaled to its
 * peak after each step, like R's d2x2xk, so only values below 1e-308 of the peak underflow; they
 * become -Infinity.
 */
function convolve(
  distributions: readonly ConditionalTableDistribution[],
  logOdds: number,
  meter?: WorkMeter,
): Float64Array {
  let density = new Float64Array([1]);
  let terms = 0;
  for (const d of distributions) {
    const own = d.relativePmf(logOdds);
    let first = 0;
    while (own[first] === 0) first++;
    let last = own.length - 1;
    while (own[last] === 0) last--;
    const next = new Float64Array(density.length + own.length - 1);
    for (let i = 0; i < density.length; i++) {
      const left = density[i];
      if (left === 0) continue;
      terms += last - first + 1;
      for (let j = first; j <= last; j++) next[i + j] += left * own[j];
    }
    let max = 0;
    for (const value of next) max = Math.max(max, value);
    for (let i = 0; i < next.length; i++) next[i] /= max;
    terms += 2 * next.length;
    density = next;
  }
  let total = 0;
  for (const value of density) total += value;
  terms += 2 * density.length;
  if (meter) meter.terms += terms;
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
  meter?: WorkMeter,
  alpha = 0.05,
): IntervalEstimate {
  const estimate = solveIncreasing((t) => {
    let mean = 0;
    for (const d of distributions) mean += d.moments(t, d.lo).mean;
    return mean - observed;
  });
  if (Number.isNaN(estimate)) return beyondSearchBound();
  const tilted = new TiltedDistribution(lo, convolve(distributions, estimate, meter), meter);
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

/**
 * A distribution on lo..lo+n-1 given by its log pmf (at psi = 1, or at the tilt it was convolved
 * with), tilted further by psi^x. Log-concave, as a convolution of log-concave pmfs, so its finite
 * values are contiguous and the tilted pmf has a single peak.
 */
class TiltedDistribution {
  private readonly first: number;
  private readonly last: number;

  constructor(
    private readonly lo: number,
    readonly logPmf: Float64Array,
    private readonly meter?: WorkMeter,
  ) {
    let first = 0;
    while (first < logPmf.length - 1 && logPmf[first] === -Infinity) first++;
    let last = logPmf.length - 1;
    while (last > first && logPmf[last] === -Infinity) last--;
    this.first = first;
    this.last = last;
    if (meter) meter.terms += logPmf.length;
  }

  /** R's rule: total probability of the values no more likely than the observed one. */
  twoSidedP(x: number): number {
    const threshold = this.logPmf[x - this.lo] + Math.log1p(RELATIVE_TIE_TOLERANCE);
    let p = 0;
    for (const value of this.logPmf) if (value <= threshold) p += Math.exp(value);
    if (this.meter) this.meter.terms += this.logPmf.length;
    return Math.min(1, p);
  }

  /** Index of the peak of logPmf[i] + logOdds * i: the first i whose successor is lower. */
  private mode(logOdds: number): number {
    let low = this.first;
    let high = this.last;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (this.logPmf[middle + 1] - this.logPmf[middle] + logOdds < 0) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  /**
   * Mean and tails P(S <= x), P(S >= x) under a further tilt exp(logOdds), from the window where
   * the pmf is above 1e-20 of its peak (as the 2x2 code does): a search step costs about
   * 10 sqrt(width) exp() calls, not the whole width.
   */
  moments(logOdds: number, x: number): { mean: number; lowerTail: number; upperTail: number } {
    const mode = this.mode(logOdds);
    const peak = this.logPmf[mode];
    let total = 0;
    let offsetSum = 0;
    let atMost = 0;
    let atLeast = 0;
    let terms = 0;
    const add = (i: number): number => {
      terms++;
      const offset = i - mode; // from the peak, which keeps exp() in range and the mean's digits
      const weight = Math.exp(this.logPmf[i] - peak + logOdds * offset);
      total += weight;
      offsetSum += offset * weight;
      if (this.lo + i <= x) atMost += weight;
      if (this.lo + i >= x) atLeast += weight;
      return weight;
    };
    add(mode);
    for (let i = mode + 1; i <= this.last && add(i) > WINDOW_CUTOFF; i++);
    for (let i = mode - 1; i >= this.first && add(i) > WINDOW_CUTOFF; i--);
    if (this.meter) this.meter.terms += terms;
    return {
      mean: this.lo + mode + offsetSum / total,
      lowerTail: atMost / total,
      upperTail: atLeast / total,
    };
  }
}
