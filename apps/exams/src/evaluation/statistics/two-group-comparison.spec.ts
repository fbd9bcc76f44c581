import erfc from '@stdlib/math-base-special-erfc';
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import { compareTwoGroups } from './two-group-comparison';
import { EvaluationInputError } from './statistics.errors';
import { Z_95 } from './distributions';

const groups = (a: number, n1: number, c: number, n2: number) => ({
  recipients: { passed: a, n: n1 },
  nonRecipients: { passed: c, n: n2 },
});

describe('compareTwoGroups', () => {
  it('reports the 2x2 table with recipients as the first row and passes as the first column', () => {
    expect(compareTwoGroups(groups(128, 200, 58, 200)).table).toEqual({ a: 128, b: 72, c: 58, d: 142 });
  });

  it('keeps the digits of a tiny chi-squared p-value (upper tail, not 1 - cdf)', () => {
    const result = compareTwoGroups(groups(300, 300, 0, 300));
    const pearson = result.chiSquared.pearson;
    if (!pearson.estimable) throw new Error(pearson.reason);
    expect(pearson.statistic).toBeCloseTo(600, 9);
    expect(1 - chisquareCdf(pearson.statistic, 1)).toBe(0); // what the naive way would report
    expect(pearson.p).toBeGreaterThan(0);
    expect(Math.abs(pearson.p / erfc(Math.sqrt(300)) - 1)).toBeLessThan(1e-10);
    expect(result.fisherExact).toMatchObject({ estimable: true });
    expect(result.fisherExact.estimable && result.fisherExact.p).toBeGreaterThan(0);
  });

  it("applies Yates' correction only down to zero, like R (|ad - bc| <= N/2 gives 0)", () => {
    const result = compareTwoGroups(groups(5, 10, 5, 10));
    expect(result.chiSquared.pearson).toEqual({ estimable: true, statistic: 0, df: 1, p: 1 });
    expect(result.chiSquared.yates).toEqual({ estimable: true, statistic: 0, df: 1, p: 1 });
    const close = compareTwoGroups(groups(6, 10, 5, 10)); // |ad - bc| = 10 = N/2
    expect(close.chiSquared.yates).toMatchObject({ statistic: 0, p: 1 });
  });

  it('flags small expected counts so a reader trusts Fisher over chi-squared', () => {
    expect(compareTwoGroups(groups(7, 10, 2, 10)).expectedCounts).toEqual({
      estimable: true,
      minimum: 4.5,
      smallExpectedCounts: true,
    });
    expect(compareTwoGroups(groups(128, 200, 58, 200)).expectedCounts).toMatchObject({
      minimum: 93,
      smallExpectedCounts: false,
    });
  });

  it('is symmetric: swapping the groups negates the difference and inverts the ratios', () => {
    const forward = compareTwoGroups(groups(30, 50, 20, 60));
    const backward = compareTwoGroups(groups(20, 60, 30, 50));
    if (!forward.riskDifference.estimable || !backward.riskDifference.estimable) throw new Error('estimable');
    expect(backward.riskDifference.estimate).toBeCloseTo(-forward.riskDifference.estimate, 12);
    expect(backward.riskDifference.ci95[0]).toBeCloseTo(-forward.riskDifference.ci95[1], 12);
    if (!forward.oddsRatio.estimable || !backward.oddsRatio.estimable) throw new Error('estimable');
    expect(backward.oddsRatio.estimate).toBeCloseTo(1 / forward.oddsRatio.estimate, 12);
    expect(backward.oddsRatio.ci95[1]).toBeCloseTo(1 / forward.oddsRatio.ci95[0], 12);
    expect(backward.fisherExact).toEqual(forward.fisherExact);
    expect(backward.chiSquared).toEqual(forward.chiSquared);
  });

  it('gives a Newcombe interval inside [-1, 1] for complete separation', () => {
    const result = compareTwoGroups(groups(10, 10, 0, 10));
    if (!result.riskDifference.estimable) throw new Error(result.riskDifference.reason);
    expect(result.riskDifference.estimate).toBe(1);
    expect(result.riskDifference.ci95[0]).toBeGreaterThan(0);
    expect(result.riskDifference.ci95[1]).toBeLessThanOrEqual(1);
  });

  it('says which quantities a zero cell makes not estimable, and keeps the rest', () => {
    const result = compareTwoGroups(groups(0, 10, 5, 10));
    expect(result.oddsRatio).toEqual({
      estimable: false,
      reason: 'an odds ratio needs every cell of the 2x2 table to be non-zero',
    });
    expect(result.relativeRisk).toMatchObject({ estimable: false });
    expect(result.conditionalOddsRatio).toMatchObject({ estimable: false });
    expect(result.riskDifference).toMatchObject({ estimable: true, estimate: -0.5 });
    expect(result.chiSquared.pearson).toMatchObject({ estimable: true });
    expect(result.fisherExact).toMatchObject({ estimable: true });
  });

  it('gives a relative risk when everyone in both groups passed, but no odds ratio or chi-squared', () => {
    const result = compareTwoGroups(groups(10, 10, 8, 8));
    expect(result.relativeRisk).toEqual({ estimable: true, estimate: 1, ci95: [1, 1] });
    expect(result.oddsRatio).toMatchObject({ estimable: false });
    expect(result.chiSquared.pearson).toMatchObject({ estimable: false });
    expect(result.fisherExact).toEqual({ estimable: true, p: 1 });
  });

  it('reports nothing comparative when a group is empty', () => {
    const result = compareTwoGroups(groups(0, 0, 5, 10));
    expect(result.recipients.passRate).toMatchObject({ estimable: false });
    expect(result.nonRecipients.passRate).toMatchObject({ estimable: true, estimate: 0.5 });
    for (const value of [
      result.riskDifference,
      result.relativeRisk,
      result.oddsRatio,
      result.conditionalOddsRatio,
      result.chiSquared.pearson,
      result.chiSquared.yates,
      result.fisherExact,
    ]) {
      expect(value.estimable).toBe(false);
    }
  });

  it('computes the Woolf interval from the log odds ratio standard error', () => {
    const result = compareTwoGroups(groups(20, 30, 10, 30));
    const se = Math.sqrt(1 / 20 + 1 / 10 + 1 / 10 + 1 / 20);
    expect(result.oddsRatio).toMatchObject({ estimable: true, estimate: 4 });
    if (!result.oddsRatio.estimable) return;
    expect(result.oddsRatio.ci95[0]).toBeCloseTo(4 * Math.exp(-Z_95 * se), 12);
    expect(result.oddsRatio.ci95[1]).toBeCloseTo(4 * Math.exp(Z_95 * se), 12);
  });

  it('refuses impossible counts with a typed error naming the group and field', () => {
    expect(() => compareTwoGroups(groups(11, 10, 0, 10))).toThrow(EvaluationInputError);
    try {
      compareTwoGroups(groups(1, 10, -1, 10));
      throw new Error('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(EvaluationInputError);
      expect(error).toMatchObject({ code: 'EVALUATION.INVALID_COUNTS', field: 'nonRecipients.passed' });
      expect((error as Error).message).toBe('nonRecipients.passed must be a non-negative integer');
    }
  });
});
