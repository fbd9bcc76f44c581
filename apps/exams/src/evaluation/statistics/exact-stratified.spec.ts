import { conditionalOddsRatio, fisherExactTwoSidedP } from './conditional-2x2';
import binomcoefln from '@stdlib/math-base-special-binomcoefln';
import type { TwoByTwoTable } from './counts';
import {
  exactStratifiedAnalysis,
  exactStratifiedByConvolution,
  exactStratifiedWork,
  MAX_EXACT_STRATIFIED_WORK,
} from './exact-stratified';
import type { WorkMeter } from './work-meter';

/** P(S = s) by enumerating every combination of a cells: slow, obvious, independent of the convolution. */
function enumerate(tables: readonly TwoByTwoTable[]): Map<number, number> {
  let distribution = new Map<number, number>([[0, 1]]);
  for (const t of tables) {
    const m = t.a + t.c;
    const n = t.b + t.d;
    const k = t.a + t.b;
    const next = new Map<number, number>();
    for (let x = Math.max(0, k - n); x <= Math.min(k, m); x++) {
      const px = Math.exp(binomcoefln(m, x) + binomcoefln(n, k - x) - binomcoefln(m + n, k));
      for (const [sum, p] of distribution) next.set(sum + x, (next.get(sum + x) ?? 0) + p * px);
    }
    distribution = next;
  }
  return distribution;
}

describe('exactStratifiedAnalysis', () => {
  it("is Fisher's exact test and the conditional odds ratio when there is one stratum", () => {
    for (const table of [
      { a: 7, b: 3, c: 2, d: 8 },
      { a: 128, b: 72, c: 58, d: 142 },
      { a: 3, b: 1, c: 1, d: 3 },
    ]) {
      const result = exactStratifiedAnalysis([table]);
      expect(result.test.estimable && result.test.p).toBeCloseTo(fisherExactTwoSidedP(table), 12);
      const single = conditionalOddsRatio(table);
      const pooled = result.commonOddsRatio;
      if (!single.estimable || !pooled.estimable) throw new Error('estimable');
      expect(pooled.estimate / single.estimate).toBeCloseTo(1, 9);
      expect(pooled.ci95[0] / single.ci95[0]).toBeCloseTo(1, 9);
      expect(pooled.ci95[1] / single.ci95[1]).toBeCloseTo(1, 9);
    }
  });

  it('gives the two-sided p of a brute-force enumeration of all tables with the same margins', () => {
    const tables = [
      { a: 4, b: 2, c: 1, d: 5 },
      { a: 3, b: 3, c: 2, d: 4 },
      { a: 6, b: 1, c: 3, d: 3 },
    ];
    const distribution = enumerate(tables);
    const observed = distribution.get(13) as number;
    let expected = 0;
    for (const p of distribution.values()) if (p <= observed * (1 + 1e-7)) expected += p;
    const result = exactStratifiedAnalysis(tables);
    expect(result.test.estimable && result.test.p).toBeCloseTo(expected, 12);
  });

  it('is unchanged by strata whose margins allow a single table', () => {
    const informative = [
      { a: 7, b: 3, c: 2, d: 8 },
      { a: 4, b: 4, c: 3, d: 6 },
    ];
    const withFixed = [...informative, { a: 5, b: 0, c: 3, d: 0 }, { a: 0, b: 0, c: 0, d: 0 }];
    expect(exactStratifiedAnalysis(withFixed)).toEqual(exactStratifiedAnalysis(informative));
  });

  it('is not estimable without an informative stratum, or at the edge of the support', () => {
    expect(exactStratifiedAnalysis([{ a: 5, b: 0, c: 3, d: 0 }]).test).toMatchObject({ estimable: false });
    const edge = exactStratifiedAnalysis([
      { a: 5, b: 0, c: 0, d: 5 },
      { a: 3, b: 0, c: 0, d: 2 },
    ]);
    expect(edge.test).toMatchObject({ estimable: true });
    expect(edge.commonOddsRatio).toMatchObject({ estimable: false });
  });

  it('gives the conditional common odds ratio of strongly associated data, where the observed total is far out in the central tail', () => {
    // Expected values from an independent log-space convolution (python + mpmath, as R's
    // mantelhaen.test(exact = TRUE) defines them). The observed total's central probability is
    // below 1e-308: computed in absolute terms it underflowed and the search returned its bound.
    const cases: [TwoByTwoTable[], [number, number, number]][] = [
      [
        [
          { a: 380, b: 20, c: 40, d: 360 },
          { a: 370, b: 30, c: 50, d: 350 },
          { a: 390, b: 10, c: 30, d: 370 },
        ],
        [168.37953479091394, 121.56113858163188, 236.56772581805535],
      ],
      [[{ a: 950, b: 50, c: 50, d: 950 }], [357.5961232558102, 237.09759872634797, 551.1232076694941]],
    ];
    for (const [tables, [estimate, lower, upper]] of cases) {
      const result = exactStratifiedAnalysis(tables).commonOddsRatio;
      if (!result.estimable) throw new Error(result.reason);
      expect(Math.abs(result.estimate / estimate - 1)).toBeLessThan(1e-4);
      expect(Math.abs(result.ci95[0] / lower - 1)).toBeLessThan(1e-4);
      expect(Math.abs(result.ci95[1] / upper - 1)).toBeLessThan(1e-4);
    }
  });

  it('equals the 2x2 conditional odds ratio for a single stratum, however far out the observed table is', () => {
    for (const table of [
      { a: 7, b: 3, c: 2, d: 8 },
      { a: 950, b: 50, c: 50, d: 950 },
      { a: 5, b: 995, c: 990, d: 10 },
      { a: 2000, b: 3, c: 1500, d: 700 },
      { a: 99, b: 1, c: 1, d: 99 },
    ]) {
      const single = conditionalOddsRatio(table);
      if (!single.estimable) throw new Error(single.reason);
      // The public function reuses the 2x2 result; the convolution must agree with it anyway.
      expect(exactStratifiedAnalysis([table]).commonOddsRatio).toEqual(single);
      const pooled = exactStratifiedByConvolution([table]).commonOddsRatio;
      if (!pooled.estimable) throw new Error(pooled.reason);
      expect(Math.abs(pooled.estimate / single.estimate - 1)).toBeLessThan(1e-9);
      expect(Math.abs(pooled.ci95[0] / single.ci95[0] - 1)).toBeLessThan(1e-9);
      expect(Math.abs(pooled.ci95[1] / single.ci95[1] - 1)).toBeLessThan(1e-9);
    }
  });

  it('declines, without doing the work and saying so, when the data are too large for exact computation', () => {
    const big = Array.from({ length: 40 }, () => ({ a: 7000, b: 5000, c: 6000, d: 7000 }));
    const meter: WorkMeter = { terms: 0 };
    const result = exactStratifiedAnalysis(big, meter);
    expect(exactStratifiedWork(big)).toBeGreaterThan(MAX_EXACT_STRATIFIED_WORK);
    expect(meter.terms).toBe(0);
    expect(result.test).toMatchObject({ estimable: false });
    expect(result.test.estimable || result.test.reason).toMatch(/^not computed: too many results/);
    expect(MAX_EXACT_STRATIFIED_WORK).toBeGreaterThan(1e6);
  });

  it('answers a single stratum of a million results per group with the 2x2 results, in bounded work', () => {
    // Before, this walked the whole 1,000,001-wide distribution with exp() about 150 times (2-2.6 s
    // holding the event loop) while the work limit counted only the convolution.
    const table = { a: 500000, b: 500000, c: 499000, d: 501000 };
    const meter: WorkMeter = { terms: 0 };
    const result = exactStratifiedAnalysis([table], meter);
    expect(result.test).toEqual({ estimable: true, p: fisherExactTwoSidedP(table) });
    expect(result.commonOddsRatio).toEqual(conditionalOddsRatio(table));
    expect(result.commonOddsRatio).toMatchObject({ estimable: true });
    expect(meter.terms).toBeGreaterThan(0);
    expect(meter.terms).toBeLessThanOrEqual(exactStratifiedWork([table]));
    expect(exactStratifiedWork([table])).toBeLessThan(MAX_EXACT_STRATIFIED_WORK);
  });

  it('gives the reference values for one stratum of 600,000/1,000,000 vs 500,000/1,000,000 in bounded work', () => {
    const table = { a: 600000, b: 400000, c: 500000, d: 500000 };
    const meter: WorkMeter = { terms: 0 };
    const result = exactStratifiedAnalysis([table], meter).commonOddsRatio;
    if (!result.estimable) throw new Error(result.reason);
    expect(Math.abs(result.estimate / 1.499999693877522 - 1)).toBeLessThan(1e-4);
    expect(Math.abs(result.ci95[0] / 1.491615799605922 - 1)).toBeLessThan(1e-4);
    expect(Math.abs(result.ci95[1] / 1.5084313205737885 - 1)).toBeLessThan(1e-4);
    expect(meter.terms).toBeLessThanOrEqual(exactStratifiedWork([table]));
    expect(exactStratifiedWork([table])).toBeLessThan(MAX_EXACT_STRATIFIED_WORK);
  });

  it('counts the root searches in its work estimate, and searches only a window around the tilted peak', () => {
    // A small school and a large one: the convolution is cheap (11 x 249,001 multiply-adds) but the
    // distribution is 249,011 wide, which the searches used to walk with exp() some 150 times.
    const tables = [
      { a: 6, b: 4, c: 3, d: 7 },
      { a: 125000, b: 125000, c: 124000, d: 126000 },
    ];
    const meter: WorkMeter = { terms: 0 };
    const result = exactStratifiedAnalysis(tables, meter);
    expect(meter.terms).toBeLessThanOrEqual(exactStratifiedWork(tables));
    expect(exactStratifiedWork(tables)).toBeLessThan(MAX_EXACT_STRATIFIED_WORK);
    // Far less than one full pass of the distribution per search step.
    expect(meter.terms).toBeLessThan(50 * 249_011);
    // Reference: log-space convolution in python (see the case above).
    expect(result.test.estimable && result.test.p).toBeCloseTo(0.004596200974538628, 10);
    const pooled = result.commonOddsRatio;
    if (!pooled.estimable) throw new Error(pooled.reason);
    expect(Math.abs(pooled.estimate / 1.0161770967976251 - 1)).toBeLessThan(1e-9);
    expect(Math.abs(pooled.ci95[0] / 1.0049567600359046 - 1)).toBeLessThan(1e-9);
    expect(Math.abs(pooled.ci95[1] / 1.0275227713975705 - 1)).toBeLessThan(1e-9);
  });

  it('never does more work than it estimates', () => {
    for (const tables of [
      [{ a: 7, b: 3, c: 2, d: 8 }],
      [
        { a: 4, b: 2, c: 1, d: 5 },
        { a: 3, b: 3, c: 2, d: 4 },
        { a: 6, b: 1, c: 3, d: 3 },
      ],
      [
        { a: 380, b: 20, c: 40, d: 360 },
        { a: 370, b: 30, c: 50, d: 350 },
        { a: 390, b: 10, c: 30, d: 370 },
      ],
      Array.from({ length: 12 }, (_, i) => ({ a: 40 + i, b: 60 - i, c: 30, d: 70 + i })),
    ]) {
      const meter: WorkMeter = { terms: 0 };
      exactStratifiedAnalysis(tables, meter);
      expect(meter.terms).toBeGreaterThan(0);
      expect(meter.terms).toBeLessThanOrEqual(exactStratifiedWork(tables));
    }
  });
});
