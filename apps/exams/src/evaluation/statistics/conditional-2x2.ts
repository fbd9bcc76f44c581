import binomcoefln from '@stdlib/math-base-special-binomcoefln';
import type { TwoByTwoTable } from './counts';
import { intervalEstimate, notEstimable, type IntervalEstimate } from './estimable';
import type { WorkMeter } from './work-meter';

/** R's fisher.test tolerance for "as or less likely than the observed table". */
const RELATIVE_TIE_TOLERANCE = 1e-7;
/** Stop summing a tail once what is left cannot change the sum's 17th digit. */
const NEGLIGIBLE = 1e-17;
/**
 * Smallest normal double. Walks stop below it: a subnormal term times a ratio above 1/2 rounds back
 * to itself, so a walk waiting for 0 could run to the end of the support for nothing.
 */
const SMALLEST_NORMAL = 2 ** -1022;
/** Window cut-off, relative to the mode, for the noncentral moments (enough for 95% tails and means). */
export const WINDOW_CUTOFF = 1e-20;
/** log-odds search limits: exp(700) is still a finite double. */
export const MAX_LOG_ODDS = 700;
/**
 * Most evaluations solveIncreasing makes: 11 to widen each side of the bracket (1, 2, 4, ... 512,
 * 700), then bisection from at most 1400 wide down to 1e-13 (54 halvings).
 */
export const MAX_SOLVE_EVALUATIONS = 2 * 11 + 54;

/**
 * How many terms a walk from the mode visits before the pmf drops to exp(logCutoff) of the mode.
 * Cell a is lo plus a sum of `trials` independent Bernoulli trials, whatever the odds ratio, so
 * Hoeffding bounds P(a = y) by 2 exp(-2 (y - mean)^2 / trials), while the mode, within 1 of the
 * mean, has at least 1 / (trials + 1). The same holds for a sum over strata (more trials).
 */
export function walkBound(trials: number, logCutoff: number): number {
  const halfWidth = Math.sqrt((trials * (Math.log(2 * (trials + 1)) - logCutoff)) / 2);
  return Math.min(trials + 1, 2 * Math.ceil(halfWidth) + 5);
}

/**
 * Work limit (pmf terms one step of the root search sums) for the conditional odds ratio. Cell a
 * is a sum of hi - lo independent Bernoulli trials whatever the odds ratio, so its standard
 * deviation is at most sqrt(hi - lo) / 2 and the window above 1e-20 of the mode spans about
 * 10 sqrt(hi - lo) terms; the three searches take a few hundred steps. A session of a million
 * results stays well inside (milliseconds); a typed-in table of billions would block the event
 * loop for seconds, and at such sizes the sample odds ratio says the same, so beyond this the
 * conditional odds ratio is declared not computed.
 */
export const MAX_CONDITIONAL_ODDS_RATIO_WINDOW = 20_000;

/**
 * The distribution of cell a of a 2x2 table given all its margins: Fisher's noncentral
 * hypergeometric with odds ratio psi (central when psi = 1). Passes total m, failures total n,
 * recipients total k (R's fisher.test names them the same way).
 */
export class ConditionalTableDistribution {
  readonly lo: number;
  readonly hi: number;
  private readonly logNormaliser: number;

  constructor(
    readonly m: number,
    readonly n: number,
    readonly k: number,
    private readonly meter?: WorkMeter,
  ) {
    this.lo = Math.max(0, k - n);
    this.hi = Math.min(k, m);
    this.logNormaliser = binomcoefln(m + n, k);
  }

  static ofTable(table: TwoByTwoTable, meter?: WorkMeter): ConditionalTableDistribution {
    return new ConditionalTableDistribution(table.a + table.c, table.b + table.d, table.a + table.b, meter);
  }

  /**
   * Bound on the terms twoSidedP and conditionalOddsRatio visit (for a caller's work limit): the
   * tails are walked until a term underflows, the searches' moments over the 1e-20 window.
   */
  workBound(): number {
    const trials = this.hi - this.lo;
    if (trials === 0) return 0;
    const searches =
      10 * Math.sqrt(trials) > MAX_CONDITIONAL_ODDS_RATIO_WINDOW
        ? 0
        : 3 * MAX_SOLVE_EVALUATIONS * walkBound(trials, Math.log(WINDOW_CUTOFF));
    return walkBound(trials, Math.log(SMALLEST_NORMAL)) + searches;
  }

  /** log P(a = x) when psi = 1, from log binomial coefficients so huge tables neither overflow nor underflow. */
  logCentralPmf(x: number): number {
    return binomcoefln(this.m, x) + binomcoefln(this.n, this.k - x) - this.logNormaliser;
  }

  /** P(x + 1) / P(x) under odds ratio psi; decreasing in x because the pmf is log-concave. */
  private ratioUp(x: number, psi: number): number {
    return ((this.m - x) * (this.k - x) * psi) / ((x + 1) * (this.n - this.k + x + 1));
  }

  private mode(psi: number): number {
    // First x whose successor is less likely; binary search works because ratioUp decreases.
    let low = this.lo;
    let high = this.hi;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (this.ratioUp(middle, psi) < 1) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  /**
   * Fisher's exact test, two-sided, the way R's fisher.test does it: the sum of the
   * probabilities of all tables no more likely than the observed one (with a 1e-7 relative
   * tolerance for ties). Only the two tails are visited, walking outwards from where they start
   * until the rest is negligible, so tables of a million results cost microseconds.
   */
  twoSidedP(x: number): number {
    if (this.lo === this.hi) return 1;
    const threshold = this.logCentralPmf(x) + Math.log1p(RELATIVE_TIE_TOLERANCE);
    const mode = this.mode(1);
    let p = 0;
    // Lower tail [lo, L]: the pmf rises up to the mode, so "<= threshold" holds on a prefix.
    let lowerEnd = this.lo - 1;
    if (this.logCentralPmf(this.lo) <= threshold) {
      let outside = mode + 1;
      lowerEnd = this.lo;
      while (outside - lowerEnd > 1) {
        const middle = Math.floor((lowerEnd + outside) / 2);
        if (this.logCentralPmf(middle) <= threshold) lowerEnd = middle;
        else outside = middle;
      }
      p += this.tailSum(lowerEnd, -1);
    }
    // Upper tail [U, hi], disjoint from the lower one because it starts after the mode.
    let upperStart = this.hi + 1;
    if (mode < this.hi && this.logCentralPmf(this.hi) <= threshold) {
      let outside = mode;
      upperStart = this.hi;
      while (upperStart - outside > 1) {
        const middle = Math.floor((upperStart + outside) / 2);
        if (this.logCentralPmf(middle) <= threshold) upperStart = middle;
        else outside = middle;
      }
      p += this.tailSum(upperStart, 1);
    }
    // Every table counted (the observed one is as likely as the mode): exactly 1, not 1 - rounding.
    if (lowerEnd === mode && upperStart === mode + 1) return 1;
    return Math.min(1, p);
  }

  /** Central probability of start plus everything beyond it in direction step (-1 or +1). */
  private tailSum(start: number, step: -1 | 1): number {
    let term = Math.exp(this.logCentralPmf(start));
    let sum = term;
    for (let x = start; term >= SMALLEST_NORMAL && (step < 0 ? x > this.lo : x < this.hi); x += step) {
      if (this.meter) this.meter.terms++;
      const ratio = step > 0 ? this.ratioUp(x, 1) : 1 / this.ratioUp(x - 1, 1);
      term *= ratio;
      sum += term;
      // Further ratios are smaller still (log-concavity), so the rest is below a geometric series.
      if (ratio < 1 && (term * ratio) / (1 - ratio) <= sum * NEGLIGIBLE) break;
    }
    return sum;
  }

  /**
   * Mean of a and the tails P(a <= x), P(a >= x) under psi = exp(logOdds), from the window where
   * the pmf is above 1e-20 of its mode; weights are relative to the mode so nothing overflows.
   */
  moments(logOdds: number, x: number): { mean: number; lowerTail: number; upperTail: number } {
    const psi = Math.exp(logOdds);
    const mode = this.mode(psi);
    let total = 1;
    let offsetSum = 0;
    let atMostX = mode <= x ? 1 : 0;
    let atLeastX = mode >= x ? 1 : 0;
    let weight = 1;
    let terms = 1;
    for (let y = mode; y < this.hi && weight > WINDOW_CUTOFF; y++) {
      terms++;
      weight *= this.ratioUp(y, psi);
      total += weight;
      offsetSum += (y + 1 - mode) * weight;
      if (y + 1 <= x) atMostX += weight;
      if (y + 1 >= x) atLeastX += weight;
    }
    weight = 1;
    for (let y = mode; y > this.lo && weight > WINDOW_CUTOFF; y--) {
      terms++;
      weight /= this.ratioUp(y - 1, psi);
      total += weight;
      offsetSum += (y - 1 - mode) * weight;
      if (y - 1 <= x) atMostX += weight;
      if (y - 1 >= x) atLeastX += weight;
    }
    if (this.meter) this.meter.terms += terms;
    // Offsets from the mode rather than raw x keep the mean's digits when counts are huge.
    return { mean: mode + offsetSum / total, lowerTail: atMostX / total, upperTail: atLeastX / total };
  }

  /**
   * Conditional maximum-likelihood odds ratio with the exact (Cornfield) 95% interval, as R's
   * fisher.test reports them. Both are 0 or infinite when x is at an end of the support, so then
   * it is not estimable.
   */
  conditionalOddsRatio(x: number, alpha = 0.05): IntervalEstimate {
    if (this.lo === this.hi) {
      return notEstimable('the conditional odds ratio needs both groups and both outcomes to be present');
    }
    if (x === this.lo || x === this.hi) {
      return notEstimable(
        'the conditional odds ratio is 0 or infinite: the observed table is the most extreme one its margins allow',
      );
    }
    if (10 * Math.sqrt(this.hi - this.lo) > MAX_CONDITIONAL_ODDS_RATIO_WINDOW) {
      return notEstimable(
        'not computed: too many results for the conditional (exact) odds ratio; the sample odds ratio with its Woolf interval applies',
      );
    }
    // All three targets are monotone in log psi, so bisection on log psi is safe.
    const estimate = solveIncreasing((t) => this.moments(t, x).mean - x);
    const lower = solveIncreasing((t) => this.moments(t, x).upperTail - alpha / 2);
    const upper = solveIncreasing((t) => alpha / 2 - this.moments(t, x).lowerTail);
    if (Number.isNaN(estimate) || Number.isNaN(lower) || Number.isNaN(upper)) return beyondSearchBound();
    return intervalEstimate(Math.exp(estimate), Math.exp(lower), Math.exp(upper));
  }

  /**
   * P(a = x) under odds ratio exp(logOdds) for x = lo..hi, relative to the most likely x (which
   * gets 1), by the ratio recurrence from the mode: no value overflows, however unlikely the tails,
   * and those beyond the first below the normal double range are 0.
   */
  relativePmf(logOdds: number): Float64Array {
    const psi = Math.exp(logOdds);
    const mode = this.mode(psi);
    const pmf = new Float64Array(this.hi - this.lo + 1);
    pmf[mode - this.lo] = 1;
    let weight = 1;
    let terms = 1;
    for (let y = mode; y < this.hi && weight >= SMALLEST_NORMAL; y++) {
      terms++;
      weight *= this.ratioUp(y, psi);
      pmf[y + 1 - this.lo] = weight;
    }
    weight = 1;
    for (let y = mode; y > this.lo && weight >= SMALLEST_NORMAL; y--) {
      terms++;
      weight /= this.ratioUp(y - 1, psi);
      pmf[y - 1 - this.lo] = weight;
    }
    if (this.meter) this.meter.terms += terms;
    return pmf;
  }
}

export function beyondSearchBound(): IntervalEstimate {
  return notEstimable(
    'the conditional odds ratio or its interval lies beyond exp(±700), outside what can be computed',
  );
}

/**
 * Root of an increasing function of log psi: expand a bracket, then bisect to ~1e-13. NaN when
 * there is no root within exp(±700): returning the bound would show a made-up odds ratio as valid.
 */
export function solveIncreasing(f: (t: number) => number): number {
  let low = -1;
  let high = 1;
  while (f(low) > 0) {
    if (low <= -MAX_LOG_ODDS) return NaN;
    low = Math.max(2 * low, -MAX_LOG_ODDS);
  }
  while (f(high) < 0) {
    if (high >= MAX_LOG_ODDS) return NaN;
    high = Math.min(2 * high, MAX_LOG_ODDS);
  }
  for (let i = 0; i < 200 && high - low > 1e-13 * Math.max(1, Math.abs(low)); i++) {
    const middle = (low + high) / 2;
    if (f(middle) < 0) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

export function fisherExactTwoSidedP(table: TwoByTwoTable, meter?: WorkMeter): number {
  return ConditionalTableDistribution.ofTable(table, meter).twoSidedP(table.a);
}

export function conditionalOddsRatio(table: TwoByTwoTable, meter?: WorkMeter): IntervalEstimate {
  return ConditionalTableDistribution.ofTable(table, meter).conditionalOddsRatio(table.a);
}
