import { conditionalOddsRatio, fisherExactTwoSidedP } from './conditional-2x2';
import { toTable, validateTwoGroupCounts, type TwoByTwoTable, type TwoGroupCounts } from './counts';
import { chiSquaredUpperTail, Z_95 } from './distributions';
import {
  chiSquaredTest,
  intervalEstimate,
  notEstimable,
  type ChiSquaredTest,
  type Estimable,
  type ExactTest,
  type IntervalEstimate,
} from './estimable';
import { summariseGroup, wilsonBounds, type GroupSummary } from './wilson-interval';

/** Expected counts under independence; chi-squared is only trusted when every one is at least 5. */
export type ExpectedCounts = Estimable<{ readonly minimum: number; readonly smallExpectedCounts: boolean }>;

/** Recipients against non-recipients. Ratios and differences are recipients over (minus) non-recipients. */
export interface TwoGroupComparison {
  readonly table: TwoByTwoTable;
  readonly recipients: GroupSummary;
  readonly nonRecipients: GroupSummary;
  /** Difference of pass rates, Newcombe hybrid score interval. */
  readonly riskDifference: IntervalEstimate;
  /** Ratio of pass rates, log (Katz) interval. */
  readonly relativeRisk: IntervalEstimate;
  /** Sample odds ratio ad/bc, Woolf logit interval. */
  readonly oddsRatio: IntervalEstimate;
  /** Conditional maximum-likelihood odds ratio with exact interval (R's fisher.test). */
  readonly conditionalOddsRatio: IntervalEstimate;
  readonly expectedCounts: ExpectedCounts;
  readonly chiSquared: { readonly pearson: ChiSquaredTest; readonly yates: ChiSquaredTest };
  /** Fisher's exact test, two-sided; prefer it when `expectedCounts.smallExpectedCounts`. */
  readonly fisherExact: ExactTest;
}

const SMALL_EXPECTED_COUNT = 5;

/**
 * Newcombe's hybrid score interval for p1 - p2 (Newcombe 1998, Stat Med 17:873, method 10),
 * built from the two Wilson intervals; it keeps good coverage where the Wald interval does not.
 */
export function riskDifference(table: TwoByTwoTable): IntervalEstimate {
  const n1 = table.a + table.b;
  const n2 = table.c + table.d;
  if (n1 === 0 || n2 === 0) return notEstimable('a risk difference needs results in both groups');
  const p1 = table.a / n1;
  const p2 = table.c / n2;
  const [l1, u1] = wilsonBounds(table.a, n1);
  const [l2, u2] = wilsonBounds(table.c, n2);
  const difference = p1 - p2;
  return intervalEstimate(
    difference,
    difference - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
    difference + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
  );
}

/** Ratio of pass rates with the log interval of Katz et al. (1978, Biometrics 34:469). */
export function relativeRisk(table: TwoByTwoTable): IntervalEstimate {
  const n1 = table.a + table.b;
  const n2 = table.c + table.d;
  if (n1 === 0 || n2 === 0) return notEstimable('a relative risk needs results in both groups');
  if (table.a === 0 || table.c === 0) {
    return notEstimable('a relative risk and its log interval need at least one pass in each group');
  }
  const estimate = table.a / n1 / (table.c / n2);
  const se = Math.sqrt(1 / table.a - 1 / n1 + 1 / table.c - 1 / n2);
  return intervalEstimate(estimate, estimate * Math.exp(-Z_95 * se), estimate * Math.exp(Z_95 * se));
}

/** Sample odds ratio ad/bc with Woolf's (1955) logit interval. */
export function oddsRatio(table: TwoByTwoTable): IntervalEstimate {
  const { a, b, c, d } = table;
  if (a === 0 || b === 0 || c === 0 || d === 0) {
    return notEstimable('an odds ratio needs every cell of the 2x2 table to be non-zero');
  }
  const estimate = (a * d) / (b * c);
  const se = Math.sqrt(1 / a + 1 / b + 1 / c + 1 / d);
  return intervalEstimate(estimate, estimate * Math.exp(-Z_95 * se), estimate * Math.exp(Z_95 * se));
}

export function expectedCounts(table: TwoByTwoTable): ExpectedCounts {
  const { a, b, c, d } = table;
  const total = a + b + c + d;
  if (total === 0) return notEstimable('expected counts need at least one result');
  const minimum = (Math.min(a + b, c + d) * Math.min(a + c, b + d)) / total;
  return { estimable: true, minimum, smallExpectedCounts: minimum < SMALL_EXPECTED_COUNT };
}

/**
 * Pearson's chi-squared for a 2x2 table, df 1, without and with Yates' correction. The
 * correction subtracts min(0.5, |O - E|) from each |O - E| as R's chisq.test does, which for a
 * 2x2 table is N (max(0, |ad - bc| - N/2))^2 / (r1 r2 c1 c2).
 */
export function chiSquared(table: TwoByTwoTable): { pearson: ChiSquaredTest; yates: ChiSquaredTest } {
  const { a, b, c, d } = table;
  const total = a + b + c + d;
  const margins = [a + b, c + d, a + c, b + d];
  if (margins.some((margin) => margin === 0)) {
    const reason =
      'chi-squared needs results in both groups and both passes and failures (a zero margin gives 0/0)';
    return { pearson: notEstimable(reason), yates: notEstimable(reason) };
  }
  const product = margins[0] * margins[1] * margins[2] * margins[3];
  const difference = Math.abs(a * d - b * c);
  const pearson = (total * difference * difference) / product;
  const corrected = Math.max(0, difference - total / 2);
  const yates = (total * corrected * corrected) / product;
  return {
    pearson: chiSquaredTest(pearson, 1, chiSquaredUpperTail(pearson, 1)),
    yates: chiSquaredTest(yates, 1, chiSquaredUpperTail(yates, 1)),
  };
}

export function fisherExact(table: TwoByTwoTable): ExactTest {
  if (table.a + table.b === 0 || table.c + table.d === 0) {
    return notEstimable("Fisher's exact test needs results in both groups");
  }
  return { estimable: true, p: fisherExactTwoSidedP(table) };
}

/** Conditional MLE odds ratio; an empty group has nothing to condition on. */
function conditionalOddsRatioOf(table: TwoByTwoTable): IntervalEstimate {
  if (table.a + table.b === 0 || table.c + table.d === 0) {
    return notEstimable('the conditional odds ratio needs results in both groups');
  }
  return conditionalOddsRatio(table);
}

/** Everything the evaluation reports about recipients against non-recipients. Validates first. */
export function compareTwoGroups(counts: TwoGroupCounts, where = ''): TwoGroupComparison {
  validateTwoGroupCounts(counts, where);
  const prefix = where ? `${where}.` : '';
  const table = toTable(counts);
  return {
    table,
    recipients: summariseGroup(counts.recipients, `${prefix}recipients`),
    nonRecipients: summariseGroup(counts.nonRecipients, `${prefix}nonRecipients`),
    riskDifference: riskDifference(table),
    relativeRisk: relativeRisk(table),
    oddsRatio: oddsRatio(table),
    conditionalOddsRatio: conditionalOddsRatioOf(table),
    expectedCounts: expectedCounts(table),
    chiSquared: chiSquared(table),
    fisherExact: fisherExact(table),
  };
}
