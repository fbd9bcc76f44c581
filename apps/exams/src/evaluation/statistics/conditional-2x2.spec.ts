import binomcoefln from '@stdlib/math-base-special-binomcoefln';
import {
  ConditionalTableDistribution,
  conditionalOddsRatio,
  fisherExactTwoSidedP,
  MAX_CONDITIONAL_ODDS_RATIO_WINDOW,
  solveIncreasing,
} from './conditional-2x2';
import type { TwoByTwoTable } from './counts';

/** Deterministic pseudo-random numbers (mulberry32) so failures reproduce. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Log pmf of cell a over its whole support given margins and log odds ratio, normalised: the slow, obvious way. */
function bruteForce(table: TwoByTwoTable, logOdds = 0): { support: number[]; probabilities: number[] } {
  const m = table.a + table.c;
  const n = table.b + table.d;
  const k = table.a + table.b;
  const support: number[] = [];
  const logs: number[] = [];
  for (let x = Math.max(0, k - n); x <= Math.min(k, m); x++) {
    support.push(x);
    logs.push(binomcoefln(m, x) + binomcoefln(n, k - x) + x * logOdds);
  }
  const max = Math.max(...logs);
  const weights = logs.map((l) => Math.exp(l - max));
  const total = weights.reduce((s, w) => s + w, 0);
  return { support, probabilities: weights.map((w) => w / total) };
}

/** R's fisher.test two-sided rule over the whole support. */
function bruteForceFisher(table: TwoByTwoTable): number {
  const { support, probabilities } = bruteForce(table);
  const observed = probabilities[support.indexOf(table.a)];
  return Math.min(
    1,
    probabilities.filter((p) => p <= observed * (1 + 1e-7)).reduce((s, p) => s + p, 0),
  );
}

function relativeError(actual: number, expected: number): number {
  return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
}

describe("Fisher's exact test (two-sided, R's rule)", () => {
  it('gives the exact rational answer for the tea-tasting table (34/70)', () => {
    expect(fisherExactTwoSidedP({ a: 3, b: 1, c: 1, d: 3 })).toBeCloseTo(34 / 70, 14);
  });

  it('agrees with a whole-support sum on 500 random small tables', () => {
    const next = random(20260101);
    for (let i = 0; i < 500; i++) {
      const table = {
        a: Math.floor(next() * 25),
        b: Math.floor(next() * 25),
        c: Math.floor(next() * 25),
        d: Math.floor(next() * 25),
      };
      const expected = bruteForceFisher(table);
      const actual = fisherExactTwoSidedP(table);
      if (relativeError(actual, expected) > 1e-10) {
        throw new Error(`table ${JSON.stringify(table)}: got ${actual}, whole-support sum ${expected}`);
      }
    }
  });

  it('counts tables tied with the observed one within 1e-7 (symmetric margins)', () => {
    // With equal margins the two tails mirror each other exactly; both must be included.
    expect(fisherExactTwoSidedP({ a: 2, b: 8, c: 8, d: 2 })).toBeCloseTo(
      bruteForceFisher({ a: 2, b: 8, c: 8, d: 2 }),
      14,
    );
  });

  it('agrees with a whole-support sum on large tables, including a tiny p', () => {
    const tables = [
      { a: 50200, b: 49800, c: 49900, d: 50100 },
      { a: 52000, b: 48000, c: 50000, d: 50000 },
      { a: 30, b: 99970, c: 5, d: 49995 },
    ];
    for (const table of tables) {
      expect(relativeError(fisherExactTwoSidedP(table), bruteForceFisher(table))).toBeLessThan(1e-8);
    }
    expect(fisherExactTwoSidedP(tables[1])).toBeGreaterThan(0);
    expect(fisherExactTwoSidedP(tables[1])).toBeLessThan(1e-15);
  });

  it('is 1 when the margins allow a single table', () => {
    expect(fisherExactTwoSidedP({ a: 5, b: 0, c: 7, d: 0 })).toBe(1);
    expect(fisherExactTwoSidedP({ a: 0, b: 0, c: 0, d: 0 })).toBe(1);
  });

  it('never exceeds 1 when the observed table is the most likely one', () => {
    expect(fisherExactTwoSidedP({ a: 5, b: 5, c: 5, d: 5 })).toBe(1);
  });
});

describe('conditional maximum-likelihood odds ratio and exact interval', () => {
  function mean(table: TwoByTwoTable, oddsRatio: number): number {
    const { support, probabilities } = bruteForce(table, Math.log(oddsRatio));
    return support.reduce((s, x, i) => s + x * probabilities[i], 0);
  }
  function tail(table: TwoByTwoTable, oddsRatio: number, side: 'atLeast' | 'atMost'): number {
    const { support, probabilities } = bruteForce(table, Math.log(oddsRatio));
    return support.reduce(
      (s, x, i) => s + ((side === 'atLeast' ? x >= table.a : x <= table.a) ? probabilities[i] : 0),
      0,
    );
  }

  it.each([
    { a: 3, b: 1, c: 1, d: 3 },
    { a: 7, b: 3, c: 2, d: 8 },
    { a: 128, b: 72, c: 58, d: 142 },
    { a: 1, b: 40, c: 12, d: 30 },
    { a: 5020, b: 4980, c: 4700, d: 5300 },
  ])('solves E[a] = observed and puts 2.5% in each tail for %o', (table) => {
    const result = conditionalOddsRatio(table);
    if (!result.estimable) throw new Error(result.reason);
    expect(relativeError(mean(table, result.estimate), table.a)).toBeLessThan(1e-9);
    expect(tail(table, result.ci95[0], 'atLeast')).toBeCloseTo(0.025, 9);
    expect(tail(table, result.ci95[1], 'atMost')).toBeCloseTo(0.025, 9);
  });

  it('matches R for the tea-tasting table (R prints 6.408309)', () => {
    const result = conditionalOddsRatio({ a: 3, b: 1, c: 1, d: 3 });
    expect(result.estimable && relativeError(result.estimate, 6.408309)).toBeLessThan(1e-5);
  });

  it('is not estimable when the observed table is at an end of its support (MLE 0 or infinite)', () => {
    expect(conditionalOddsRatio({ a: 0, b: 10, c: 5, d: 5 })).toMatchObject({ estimable: false });
    expect(conditionalOddsRatio({ a: 10, b: 0, c: 5, d: 5 })).toMatchObject({ estimable: false });
    expect(conditionalOddsRatio({ a: 3, b: 0, c: 4, d: 0 })).toMatchObject({ estimable: false });
  });

  it('still computes it for a session of a million results', () => {
    const result = conditionalOddsRatio({ a: 260000, b: 240000, c: 250000, d: 250000 });
    if (!result.estimable) throw new Error(result.reason);
    // At this size the conditional MLE and the sample odds ratio (1.0833) agree to a few digits.
    expect(relativeError(result.estimate, (260000 * 250000) / (240000 * 250000))).toBeLessThan(1e-4);
    expect(result.ci95[0]).toBeLessThan(result.estimate);
    expect(result.ci95[1]).toBeGreaterThan(result.estimate);
  });

  it('declares it not computed, with the reason, for tables too large to search (typed-in billions)', () => {
    // The pooled table of 200 typed-in strata of a billion per group: each search step would walk
    // a window of millions of terms (seconds of CPU on the event loop).
    const table = { a: 1e11, b: 1e11, c: 99_820_000_000, d: 100_180_000_000 };
    expect(10 * Math.sqrt(ConditionalTableDistribution.ofTable(table).hi)).toBeGreaterThan(
      MAX_CONDITIONAL_ODDS_RATIO_WINDOW,
    );
    expect(conditionalOddsRatio(table)).toEqual({
      estimable: false,
      reason:
        'not computed: too many results for the conditional (exact) odds ratio; the sample odds ratio with its Woolf interval applies',
    });
    // The p-value walks its tails once and stays exact.
    expect(fisherExactTwoSidedP(table)).toBeGreaterThanOrEqual(0);
  });

  it('exposes the central pmf in log space without overflow for a million results', () => {
    const distribution = new ConditionalTableDistribution(500000, 500000, 500000);
    const logPmf = distribution.logCentralPmf(250000);
    expect(Number.isFinite(logPmf)).toBe(true);
    expect(logPmf).toBeLessThan(0);
  });
});

describe('solveIncreasing', () => {
  it('finds the root of an increasing function of log psi', () => {
    expect(solveIncreasing((t) => t - 3.25)).toBeCloseTo(3.25, 12);
  });

  it('gives NaN, never the search bound, when there is no root within exp(±700)', () => {
    expect(solveIncreasing(() => 1)).toBeNaN();
    expect(solveIncreasing(() => -1)).toBeNaN();
  });
});
