import { EvaluationInputError } from './statistics.errors';
import { stratifiedAnalysis } from './stratified-analysis';
import { compareTwoGroups } from './two-group-comparison';

const stratum = (label: string, a: number, n1: number, c: number, n2: number) => ({
  label,
  recipients: { passed: a, n: n1 },
  nonRecipients: { passed: c, n: n2 },
});

describe('stratifiedAnalysis', () => {
  it('reduces to the single-table answers with one stratum', () => {
    const single = stratifiedAnalysis([stratum('only', 30, 50, 20, 60)]);
    const crude = compareTwoGroups({
      recipients: { passed: 30, n: 50 },
      nonRecipients: { passed: 20, n: 60 },
    });
    const total = 110;
    // CMH without correction is Pearson's statistic times (N - 1) / N for one table.
    const cmh = single.cochranMantelHaenszel.uncorrected;
    const pearson = crude.chiSquared.pearson;
    if (!cmh.estimable || !pearson.estimable) throw new Error('estimable');
    expect(cmh.statistic).toBeCloseTo((pearson.statistic * (total - 1)) / total, 12);
    // The MH odds ratio is the sample odds ratio and the RBG variance is Woolf's.
    const mh = single.mantelHaenszelOddsRatio;
    const woolf = crude.oddsRatio;
    if (!mh.estimable || !woolf.estimable) throw new Error('estimable');
    expect(mh.estimate).toBeCloseTo(woolf.estimate, 12);
    expect(mh.ci95[0]).toBeCloseTo(woolf.ci95[0], 12);
    expect(mh.ci95[1]).toBeCloseTo(woolf.ci95[1], 12);
    expect(single.mantelHaenszelRiskRatio).toMatchObject({ estimable: true });
    expect(single.mantelHaenszelRiskRatio.estimable && single.mantelHaenszelRiskRatio.estimate).toBeCloseTo(
      crude.relativeRisk.estimable ? crude.relativeRisk.estimate : NaN,
      12,
    );
    // Homogeneity across one stratum means nothing.
    expect(single.breslowDay).toMatchObject({ estimable: false });
    expect(single.breslowDay.estimable || single.breslowDay.reason).toMatch(/at least two strata/);
    expect(single.breslowDayTarone).toMatchObject({ estimable: false });
    expect(single.woolfHomogeneity).toMatchObject({ estimable: false });
  });

  it('ignores strata that carry no information about the association', () => {
    const informative = [stratum('A', 40, 60, 15, 50), stratum('B', 50, 80, 20, 70)];
    const withEmpty = [
      ...informative,
      stratum('no results', 0, 0, 0, 0),
      stratum('one result', 1, 1, 0, 0),
      stratum('recipients only', 3, 5, 0, 0),
      stratum('everyone passed', 4, 4, 6, 6),
    ];
    const base = stratifiedAnalysis(informative);
    const extended = stratifiedAnalysis(withEmpty);
    expect(extended.informativeStrata).toBe(2);
    expect(extended.strata.map((s) => s.informative)).toEqual([true, true, false, false, false, false]);
    expect(extended.cochranMantelHaenszel).toEqual(base.cochranMantelHaenszel);
    expect(extended.mantelHaenszelOddsRatio).toEqual(base.mantelHaenszelOddsRatio);
    expect(extended.breslowDay).toEqual(base.breslowDay);
    expect(extended.breslowDayTarone).toEqual(base.breslowDayTarone);
    expect(extended.woolfHomogeneity).toEqual(base.woolfHomogeneity);
  });

  it('finds no heterogeneity when every stratum has the same table', () => {
    const result = stratifiedAnalysis([
      stratum('A', 20, 40, 10, 40),
      stratum('B', 20, 40, 10, 40),
      stratum('C', 20, 40, 10, 40),
    ]);
    expect(result.breslowDay).toMatchObject({ estimable: true, df: 2 });
    if (!result.breslowDay.estimable) return;
    expect(result.breslowDay.statistic).toBeCloseTo(0, 10);
    expect(result.breslowDay.p).toBeCloseTo(1, 10);
  });

  it('detects odds ratios that go in opposite directions', () => {
    const result = stratifiedAnalysis([stratum('A', 80, 100, 20, 100), stratum('B', 20, 100, 80, 100)]);
    // Pooled there is no association at all...
    expect(result.mantelHaenszelOddsRatio).toMatchObject({ estimable: true, estimate: 1 });
    // ...but the strata disagree sharply.
    expect(result.breslowDay).toMatchObject({ estimable: true, df: 1 });
    expect(result.breslowDay.estimable && result.breslowDay.p).toBeLessThan(1e-20);
    expect(result.breslowDayTarone.estimable && result.breslowDayTarone.p).toBeLessThan(1e-20);
  });

  it("computes Breslow–Day through zero cells, where Woolf's test is not estimable and names the stratum", () => {
    const result = stratifiedAnalysis([stratum('A', 10, 10, 5, 10), stratum('B', 8, 10, 4, 10)]);
    expect(result.breslowDay).toMatchObject({ estimable: true, df: 1 });
    expect(result.woolfHomogeneity).toEqual({
      estimable: false,
      reason: 'Woolf\'s test needs every cell of every stratum\'s table to be non-zero (stratum "A")',
    });
    expect(result.strata[0].oddsRatio).toMatchObject({ estimable: false });
    expect(result.mantelHaenszelOddsRatio).toMatchObject({ estimable: true });
  });

  it('does not apply the continuity correction when |delta| < 0.5 (as R)', () => {
    const result = stratifiedAnalysis([stratum('A', 5, 10, 5, 10), stratum('B', 6, 10, 5, 10)]);
    // delta = 0 + 0.5 = 0.5 exactly -> corrected to 0.
    expect(result.cochranMantelHaenszel.corrected).toMatchObject({ statistic: 0, p: 1 });
    const tiny = stratifiedAnalysis([stratum('A', 5, 10, 5, 11)]);
    const uncorrected = tiny.cochranMantelHaenszel.uncorrected;
    expect(tiny.cochranMantelHaenszel.corrected).toEqual(uncorrected);
  });

  it('is not estimable at all when no stratum is informative', () => {
    const result = stratifiedAnalysis([stratum('A', 3, 3, 0, 0), stratum('B', 0, 0, 0, 4)]);
    expect(result.informativeStrata).toBe(0);
    expect(result.cochranMantelHaenszel.corrected).toMatchObject({ estimable: false });
    expect(result.cochranMantelHaenszel.uncorrected).toMatchObject({ estimable: false });
    expect(result.mantelHaenszelOddsRatio).toMatchObject({ estimable: false });
    expect(result.mantelHaenszelRiskRatio).toMatchObject({ estimable: false });
    expect(result.breslowDay).toMatchObject({ estimable: false });
    expect(stratifiedAnalysis([])).toMatchObject({ informativeStrata: 0, strata: [] });
  });

  it('is not estimable for the common odds ratio when it would be infinite', () => {
    const result = stratifiedAnalysis([stratum('A', 10, 10, 5, 10), stratum('B', 8, 8, 4, 10)]);
    expect(result.mantelHaenszelOddsRatio).toMatchObject({ estimable: false });
    expect(result.breslowDay).toMatchObject({ estimable: false });
    expect(result.breslowDay.estimable || result.breslowDay.reason).toMatch(/common odds ratio/);
  });

  it('names the stratum and field of impossible counts, and refuses duplicate labels', () => {
    expect(() => stratifiedAnalysis([stratum('School A', 12, 10, 1, 2)])).toThrow(
      'strata["School A"].recipients.passed must not exceed strata["School A"].recipients.n (12 passed of 10)',
    );
    expect(() => stratifiedAnalysis([stratum('School B', 1, 2, 1, 2.5)])).toThrow(
      'strata["School B"].nonRecipients.n must be a non-negative integer',
    );
    expect(() => stratifiedAnalysis([stratum('A', 1, 2, 1, 2), stratum('A', 1, 2, 1, 2)])).toThrow(
      EvaluationInputError,
    );
  });
});
