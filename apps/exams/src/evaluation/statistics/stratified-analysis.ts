import { stratumPath, toTable, validateStrata, type StratumCounts, type TwoByTwoTable } from './counts';
import { chiSquaredUpperTail, Z_95 } from './distributions';
import {
  chiSquaredTest,
  intervalEstimate,
  notEstimable,
  type ChiSquaredTest,
  type IntervalEstimate,
  type PointEstimate,
} from './estimable';
import { exactStratifiedAnalysis, type ExactStratifiedAnalysis } from './exact-stratified';
import { oddsRatio } from './two-group-comparison';
import { summariseGroup, type GroupSummary } from './wilson-interval';

export interface StratumSummary {
  readonly label: string;
  readonly table: TwoByTwoTable;
  readonly recipients: GroupSummary;
  readonly nonRecipients: GroupSummary;
  /** Sample odds ratio of this stratum with Woolf interval. */
  readonly oddsRatio: IntervalEstimate;
  /**
   * Whether the stratum says anything about the association: both groups and both outcomes
   * present. Other strata add nothing to CMH, Mantel–Haenszel or Breslow–Day.
   */
  readonly informative: boolean;
}

/** Recipients against non-recipients within schools or cohorts, pooled across them. */
export interface StratifiedAnalysis {
  readonly strata: readonly StratumSummary[];
  readonly informativeStrata: number;
  readonly cochranMantelHaenszel: {
    /** With the 0.5 continuity correction, as R's mantelhaen.test by default. */
    readonly corrected: ChiSquaredTest;
    readonly uncorrected: ChiSquaredTest;
  };
  /** Mantel–Haenszel common odds ratio with the Robins–Breslow–Greenland interval. */
  readonly mantelHaenszelOddsRatio: IntervalEstimate;
  /** Mantel–Haenszel common ratio of pass rates (point estimate only). */
  readonly mantelHaenszelRiskRatio: PointEstimate;
  /** Breslow–Day homogeneity of odds ratios across strata, df = informative strata - 1. */
  readonly breslowDay: ChiSquaredTest;
  /** Breslow–Day with Tarone's (1985) adjustment, which makes it properly chi-squared. */
  readonly breslowDayTarone: ChiSquaredTest;
  /** Woolf's test of homogeneity of log odds ratios. */
  readonly woolfHomogeneity: ChiSquaredTest;
  /** Exact conditional test and common odds ratio; computed for small samples only (see MAX_EXACT_STRATIFIED_WORK). */
  readonly exactConditional: ExactStratifiedAnalysis;
}

function isInformative(t: TwoByTwoTable): boolean {
  return t.a + t.b > 0 && t.c + t.d > 0 && t.a + t.c > 0 && t.b + t.d > 0;
}

/**
 * Cochran–Mantel–Haenszel test for 2x2xK tables as R's mantelhaen.test computes it: the sum of
 * a - E[a] over strata against its hypergeometric variance; the continuity correction subtracts
 * 0.5 only when |delta| >= 0.5 (R does the same). Strata of fewer than two results carry no
 * variance and are skipped.
 */
export function cochranMantelHaenszel(tables: readonly TwoByTwoTable[]): {
  corrected: ChiSquaredTest;
  uncorrected: ChiSquaredTest;
} {
  let delta = 0;
  let variance = 0;
  for (const t of tables) {
    const total = t.a + t.b + t.c + t.d;
    if (total < 2) continue;
    const row = t.a + t.b;
    const column = t.a + t.c;
    delta += t.a - (row * column) / total;
    variance += (row * column * (total - row) * (total - column)) / (total * total * (total - 1));
  }
  if (variance === 0) {
    const reason =
      'the Cochran–Mantel–Haenszel test needs at least one stratum with both groups and both passes and failures';
    return { corrected: notEstimable(reason), uncorrected: notEstimable(reason) };
  }
  const uncorrected = (delta * delta) / variance;
  const correction = Math.abs(delta) >= 0.5 ? 0.5 : 0;
  const corrected = (Math.abs(delta) - correction) ** 2 / variance;
  return {
    corrected: chiSquaredTest(corrected, 1, chiSquaredUpperTail(corrected, 1)),
    uncorrected: chiSquaredTest(uncorrected, 1, chiSquaredUpperTail(uncorrected, 1)),
  };
}

/**
 * Mantel–Haenszel common odds ratio with the Robins, Breslow & Greenland (1986, Biometrics
 * 42:311) variance of its logarithm.
 */
export function mantelHaenszelOddsRatio(tables: readonly TwoByTwoTable[]): IntervalEstimate {
  let sumR = 0;
  let sumS = 0;
  let sumPR = 0;
  let sumPSQR = 0;
  let sumQS = 0;
  for (const t of tables) {
    const total = t.a + t.b + t.c + t.d;
    if (total === 0) continue;
    const p = (t.a + t.d) / total;
    const q = (t.b + t.c) / total;
    const r = (t.a * t.d) / total;
    const s = (t.b * t.c) / total;
    sumR += r;
    sumS += s;
    sumPR += p * r;
    sumPSQR += p * s + q * r;
    sumQS += q * s;
  }
  if (sumR === 0 || sumS === 0) {
    return notEstimable(
      'the Mantel–Haenszel odds ratio is 0 or infinite: no stratum has both ad and bc non-zero in the needed direction',
    );
  }
  const estimate = sumR / sumS;
  const variance = sumPR / (2 * sumR * sumR) + sumPSQR / (2 * sumR * sumS) + sumQS / (2 * sumS * sumS);
  const halfWidth = Z_95 * Math.sqrt(variance);
  return intervalEstimate(estimate, estimate * Math.exp(-halfWidth), estimate * Math.exp(halfWidth));
}

/** Mantel–Haenszel common risk ratio (Rothman & Greenland, Modern Epidemiology), recipients over non. */
export function mantelHaenszelRiskRatio(tables: readonly TwoByTwoTable[]): PointEstimate {
  let numerator = 0;
  let denominator = 0;
  for (const t of tables) {
    const total = t.a + t.b + t.c + t.d;
    if (total === 0) continue;
    numerator += (t.a * (t.c + t.d)) / total;
    denominator += (t.c * (t.a + t.b)) / total;
  }
  if (numerator === 0 || denominator === 0) {
    return notEstimable('the Mantel–Haenszel risk ratio needs passes in both groups of some stratum');
  }
  return { estimable: true, estimate: numerator / denominator };
}

/**
 * E[a] of a stratum when its odds ratio is psi and margins are fixed: the root in the support of
 * (1 - psi) A^2 + (N - m - k + psi (m + k)) A - psi m k = 0, m = recipients, k = passes.
 */
function expectedCellGivenOddsRatio(t: TwoByTwoTable, psi: number): number {
  const total = t.a + t.b + t.c + t.d;
  const row = t.a + t.b;
  const column = t.a + t.c;
  const low = Math.max(0, row + column - total);
  const high = Math.min(row, column);
  const quadratic = 1 - psi;
  const linear = total - row - column + psi * (row + column);
  const constant = -psi * row * column;
  let root: number;
  if (Math.abs(quadratic) < 1e-12) {
    root = -constant / linear;
  } else {
    // Numerically stable quadratic roots (Numerical Recipes 5.6); pick the one inside the support.
    const discriminant = Math.sqrt(Math.max(0, linear * linear - 4 * quadratic * constant));
    const q = -0.5 * (linear + Math.sign(linear || 1) * discriminant);
    const first = q / quadratic;
    const second = constant / q;
    root = first >= low - 1e-9 && first <= high + 1e-9 ? first : second;
  }
  return Math.min(high, Math.max(low, root));
}

/**
 * Breslow–Day test that the odds ratio is the same in every stratum (Breslow & Day 1980, §4.4),
 * evaluated at the Mantel–Haenszel estimate, and Tarone's (1985, Biometrika 72:91) adjusted form.
 * Only informative strata count; df = their number - 1.
 */
export function breslowDay(tables: readonly TwoByTwoTable[]): {
  plain: ChiSquaredTest;
  tarone: ChiSquaredTest;
} {
  const informative = tables.filter(isInformative);
  const none = (reason: string) => ({ plain: notEstimable(reason), tarone: notEstimable(reason) });
  if (informative.length < 2) {
    return none(
      'the Breslow–Day test needs at least two strata with both groups and both passes and failures',
    );
  }
  const common = mantelHaenszelOddsRatio(informative);
  if (!common.estimable) return none(`the Breslow–Day test needs a common odds ratio: ${common.reason}`);
  let statistic = 0;
  let sumDeviation = 0;
  let sumVariance = 0;
  for (const t of informative) {
    const row = t.a + t.b;
    const column = t.a + t.c;
    const total = t.a + t.b + t.c + t.d;
    const expected = expectedCellGivenOddsRatio(t, common.estimate);
    const variance =
      1 /
      (1 / expected + 1 / (row - expected) + 1 / (column - expected) + 1 / (total - row - column + expected));
    statistic += (t.a - expected) ** 2 / variance;
    sumDeviation += t.a - expected;
    sumVariance += variance;
  }
  const tarone = statistic - (sumDeviation * sumDeviation) / sumVariance;
  const df = informative.length - 1;
  return {
    plain: chiSquaredTest(statistic, df, chiSquaredUpperTail(statistic, df)),
    tarone: chiSquaredTest(tarone, df, chiSquaredUpperTail(tarone, df)),
  };
}

/** Woolf's test: weighted squared deviations of stratum log odds ratios from their weighted mean. */
export function woolfHomogeneity(
  tables: readonly TwoByTwoTable[],
  labels?: readonly string[],
): ChiSquaredTest {
  const informativeIndexes = tables.map((t, i) => (isInformative(t) ? i : -1)).filter((i) => i >= 0);
  if (informativeIndexes.length < 2) {
    return notEstimable(
      "Woolf's test needs at least two strata with both groups and both passes and failures",
    );
  }
  const logOddsRatios: number[] = [];
  const weights: number[] = [];
  for (const i of informativeIndexes) {
    const t = tables[i];
    if (t.a === 0 || t.b === 0 || t.c === 0 || t.d === 0) {
      const name = labels ? ` (stratum ${JSON.stringify(labels[i])})` : '';
      return notEstimable(`Woolf's test needs every cell of every stratum's table to be non-zero${name}`);
    }
    logOddsRatios.push(Math.log((t.a * t.d) / (t.b * t.c)));
    weights.push(1 / (1 / t.a + 1 / t.b + 1 / t.c + 1 / t.d));
  }
  // Two passes (mean, then squared deviations) avoid cancellation when the odds ratios agree.
  let sumWeights = 0;
  let sumWeighted = 0;
  weights.forEach((weight, j) => {
    sumWeights += weight;
    sumWeighted += weight * logOddsRatios[j];
  });
  const pooled = sumWeighted / sumWeights;
  let statistic = 0;
  weights.forEach((weight, j) => {
    statistic += weight * (logOddsRatios[j] - pooled) ** 2;
  });
  const df = informativeIndexes.length - 1;
  return chiSquaredTest(statistic, df, chiSquaredUpperTail(statistic, df));
}

/** Everything the evaluation reports across strata. Validates first. */
export function stratifiedAnalysis(strata: readonly StratumCounts[]): StratifiedAnalysis {
  validateStrata(strata);
  const tables = strata.map(toTable);
  const summaries = strata.map((stratum, i): StratumSummary => {
    const where = stratumPath(stratum.label);
    return {
      label: stratum.label,
      table: tables[i],
      recipients: summariseGroup(stratum.recipients, `${where}.recipients`),
      nonRecipients: summariseGroup(stratum.nonRecipients, `${where}.nonRecipients`),
      oddsRatio: oddsRatio(tables[i]),
      informative: isInformative(tables[i]),
    };
  });
  const homogeneity = breslowDay(tables);
  return {
    strata: summaries,
    informativeStrata: summaries.filter((s) => s.informative).length,
    cochranMantelHaenszel: cochranMantelHaenszel(tables),
    mantelHaenszelOddsRatio: mantelHaenszelOddsRatio(tables),
    mantelHaenszelRiskRatio: mantelHaenszelRiskRatio(tables),
    breslowDay: homogeneity.plain,
    breslowDayTarone: homogeneity.tarone,
    woolfHomogeneity: woolfHomogeneity(
      tables,
      strata.map((s) => s.label),
    ),
    exactConditional: exactStratifiedAnalysis(tables),
  };
}
