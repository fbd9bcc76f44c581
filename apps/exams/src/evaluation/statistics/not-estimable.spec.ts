import { evaluateCounts } from './evaluation-report';
import { evaluationToCsv } from './evaluation-csv.serializer';
import { comparisonChartGroups, monthsChartGroups, renderPassRateChartSvg } from './pass-rate-chart.renderer';
import type { StratumCounts } from './counts';

/**
 * Degenerate data must come out as `{ estimable: false, reason }`, never NaN or Infinity:
 * JSON.stringify turns both into null, which a client would read as a value.
 */

const stratum = (label: string, a: number, n1: number, c: number, n2: number): StratumCounts => ({
  label,
  recipients: { passed: a, n: n1 },
  nonRecipients: { passed: c, n: n2 },
});

const DEGENERATE: Record<string, StratumCounts[]> = {
  'no strata at all': [],
  'all counts zero': [stratum('A', 0, 0, 0, 0)],
  'no recipients': [stratum('A', 0, 0, 4, 9)],
  'no non-recipients': [stratum('A', 4, 9, 0, 0)],
  'everyone passed': [stratum('A', 5, 5, 7, 7), stratum('B', 1, 1, 2, 2)],
  'everyone failed': [stratum('A', 0, 5, 0, 7)],
  'zero cell a': [stratum('A', 0, 5, 3, 7)],
  'zero cell b': [stratum('A', 5, 5, 3, 7)],
  'zero cell c': [stratum('A', 2, 5, 0, 7)],
  'zero cell d': [stratum('A', 2, 5, 7, 7)],
  'complete separation': [stratum('A', 10, 10, 0, 10), stratum('B', 8, 8, 0, 3)],
  'one result per stratum': [stratum('A', 1, 1, 0, 0), stratum('B', 0, 0, 0, 1)],
  'single stratum': [stratum('A', 3, 6, 2, 6)],
  'a stratum with a zero cell among good ones': [stratum('A', 3, 6, 2, 6), stratum('B', 4, 4, 2, 6)],
  'a million results in one cell': [stratum('A', 1_000_000, 1_000_000, 0, 1)],
};

/** Every number reachable in the value, with its path. */
function numbers(value: unknown, path = '$', out: [string, unknown][] = []): [string, unknown][] {
  if (typeof value === 'number' || value === null || value === undefined) out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((item, i) => numbers(item, `${path}[${i}]`, out));
  else if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) numbers(item, `${path}.${key}`, out);
  }
  return out;
}

describe('degenerate tables', () => {
  describe.each(Object.entries(DEGENERATE))('%s', (_name, strata) => {
    const report = evaluateCounts({
      strata,
      months: [
        { months: 0, n: 0, passed: 0 },
        { months: 2, n: 3, passed: 0 },
      ],
    });

    it('has only finite numbers, no null or undefined, anywhere in the report', () => {
      const bad = numbers(report).filter(([, value]) => typeof value !== 'number' || !Number.isFinite(value));
      expect(bad).toEqual([]);
    });

    it('serialises to JSON without null, NaN or Infinity', () => {
      const json = JSON.stringify(report);
      expect(json).not.toMatch(/null|NaN|Infinity/);
      expect(JSON.parse(json)).toEqual(report);
    });

    it('gives a reason wherever something is not estimable', () => {
      const walk = (value: unknown): void => {
        if (value && typeof value === 'object') {
          const record = value as Record<string, unknown>;
          if (record.estimable === false) {
            expect(typeof record.reason).toBe('string');
            expect((record.reason as string).length).toBeGreaterThan(10);
            expect(Object.keys(record).sort()).toEqual(['estimable', 'reason']);
          }
          Object.values(record).forEach(walk);
        }
      };
      walk(report);
    });

    it('renders CSV and SVG without NaN or Infinity', () => {
      const csv = evaluationToCsv(report);
      const svg = renderPassRateChartSvg({
        title: 'Degenerate',
        groups: [...comparisonChartGroups(report.overall), ...monthsChartGroups(report.byMonths)],
      });
      expect(csv).not.toMatch(/NaN|Infinity|undefined|null/);
      expect(svg).not.toMatch(/NaN|Infinity|undefined|null/);
    });
  });

  it('says why, in words a reader understands', () => {
    const report = evaluateCounts({ strata: DEGENERATE['zero cell a'], months: [] });
    expect(report.overall.oddsRatio).toEqual({
      estimable: false,
      reason: 'an odds ratio needs every cell of the 2x2 table to be non-zero',
    });
    expect(report.stratified.breslowDay).toEqual({
      estimable: false,
      reason: 'the Breslow–Day test needs at least two strata with both groups and both passes and failures',
    });
  });
});
