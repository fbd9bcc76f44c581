import { countsFromGroups, UNKNOWN_STRATUM } from './evaluation-counts';
import { aggregateResults, evaluateCounts, type ExamResultRow } from './statistics';

describe('countsFromGroups', () => {
  it('builds one 2x2 per stratum and one count per months value', () => {
    const { counts, results, resultsWithoutStudent } = countsFromGroups([
      { recipient: true, passed: true, stratum: 'GAO', months: 2, n: 40 },
      { recipient: true, passed: false, stratum: 'GAO', months: 2, n: 20 },
      { recipient: false, passed: true, stratum: 'GAO', months: 0, n: 15 },
      { recipient: false, passed: false, stratum: 'GAO', months: 0, n: 35 },
      { recipient: true, passed: true, stratum: 'BAMAKO', months: 1, n: 5 },
    ]);
    expect(results).toBe(115);
    expect(resultsWithoutStudent).toBe(0);
    expect(counts.strata).toEqual([
      { label: 'BAMAKO', recipients: { n: 5, passed: 5 }, nonRecipients: { n: 0, passed: 0 } },
      { label: 'GAO', recipients: { n: 60, passed: 40 }, nonRecipients: { n: 50, passed: 15 } },
    ]);
    expect(counts.months).toEqual([
      { months: 0, n: 50, passed: 15 },
      { months: 1, n: 5, passed: 5 },
      { months: 2, n: 60, passed: 40 },
    ]);
  });

  it('puts results of students not yet known in a stratum of their own and counts them', () => {
    const { counts, resultsWithoutStudent } = countsFromGroups([
      { recipient: false, passed: true, stratum: null, months: 0, n: 3 },
      { recipient: false, passed: false, stratum: 'GAO', months: 0, n: 2 },
    ]);
    expect(resultsWithoutStudent).toBe(3);
    expect(counts.strata.map((s) => s.label)).toEqual([UNKNOWN_STRATUM, 'GAO']);
  });

  it('gives the same report as aggregating the individual results', () => {
    const rows: ExamResultRow[] = [];
    const grouped = new Map<
      string,
      { recipient: boolean; passed: boolean; stratum: string; months: number; n: number }
    >();
    for (let i = 0; i < 500; i++) {
      const row = {
        recipient: i % 3 !== 0,
        passed: i % 5 < 3,
        stratum: `school-${i % 4}`,
        months: i % 3 === 0 ? 0 : 1 + (i % 6),
      };
      rows.push(row);
      const key = JSON.stringify(row);
      const entry = grouped.get(key) ?? { ...row, n: 0 };
      entry.n++;
      grouped.set(key, entry);
    }
    const fromGroups = countsFromGroups([...grouped.values()]).counts;
    expect(fromGroups).toEqual(aggregateResults(rows));
    expect(evaluateCounts(fromGroups)).toEqual(evaluateCounts(aggregateResults(rows)));
  });

  it('refuses a count that is not a count', () => {
    expect(() =>
      countsFromGroups([{ recipient: true, passed: true, stratum: 'x', months: 1, n: -1 }]),
    ).toThrow('not a count');
  });
});
