import referenceCases from '../../../test/fixtures/stats-cases.json';
import { aggregateResults, EvaluationCounter, type ExamResultRow } from './aggregate-results';
import { evaluateCounts, evaluateResults } from './evaluation-report';
import { EvaluationInputError } from './statistics.errors';

/** Expands counts into individual rows, interleaved so order cannot matter. */
function rowsFor(
  strata: Record<
    string,
    { recipients: { passed: number; n: number }; non_recipients: { passed: number; n: number } }
  >,
): ExamResultRow[] {
  const rows: ExamResultRow[] = [];
  for (const [stratum, groups] of Object.entries(strata)) {
    for (let i = 0; i < groups.recipients.n; i++) {
      rows.push({ recipient: true, passed: i < groups.recipients.passed, stratum, months: 1 + (i % 6) });
    }
    for (let i = 0; i < groups.non_recipients.n; i++) {
      rows.push({ recipient: false, passed: i < groups.non_recipients.passed, stratum, months: 0 });
    }
  }
  return rows.sort(
    (x, y) => ((x.months * 7919 + (x.passed ? 1 : 0)) % 13) - ((y.months * 7919 + (y.passed ? 1 : 0)) % 13),
  );
}

describe('aggregateResults', () => {
  it('counts rows per stratum and group, strata in label order', () => {
    const counts = aggregateResults([
      { recipient: true, passed: true, stratum: 'Zinder', months: 3 },
      { recipient: false, passed: false, stratum: 'Agadez', months: 0 },
      { recipient: true, passed: false, stratum: 'Zinder', months: 3 },
      { recipient: false, passed: true, stratum: 'Zinder', months: 0 },
    ]);
    expect(counts).toEqual({
      strata: [
        { label: 'Agadez', recipients: { n: 0, passed: 0 }, nonRecipients: { n: 1, passed: 0 } },
        { label: 'Zinder', recipients: { n: 2, passed: 1 }, nonRecipients: { n: 1, passed: 1 } },
      ],
      months: [
        { months: 0, n: 2, passed: 1 },
        { months: 3, n: 2, passed: 1 },
      ],
    });
  });

  it('grows past its initial capacity for many strata and long stipends', () => {
    const rows: ExamResultRow[] = [];
    for (let i = 0; i < 100; i++)
      rows.push({
        recipient: i % 2 === 0,
        passed: i % 3 === 0,
        stratum: `school-${1000 + i}`,
        months: i * 7,
      });
    const counts = aggregateResults(rows);
    expect(counts.strata).toHaveLength(100);
    expect(counts.strata[99]).toEqual({
      label: 'school-1099',
      recipients: { n: 0, passed: 0 },
      nonRecipients: { n: 1, passed: 1 },
    });
    expect(counts.months).toHaveLength(100);
    expect(counts.months[99]).toEqual({ months: 693, n: 1, passed: 1 });
  });

  it('can be fed row by row (e.g. from a database cursor)', () => {
    const counter = new EvaluationCounter();
    counter.add({ recipient: true, passed: true, stratum: 'A', months: 2 });
    counter.add({ recipient: true, passed: true, stratum: 'A', months: 2 });
    expect(counter.counts().strata[0].recipients).toEqual({ n: 2, passed: 2 });
  });

  it.each([
    [{ recipient: 'yes', passed: true, stratum: 'A', months: 1 }, 'results[1].recipient must be a boolean'],
    [{ recipient: true, passed: 1, stratum: 'A', months: 1 }, 'results[1].passed must be a boolean'],
    [{ recipient: true, passed: true, stratum: 7, months: 1 }, 'results[1].stratum must be a string'],
    [
      { recipient: true, passed: true, stratum: 'A', months: -2 },
      'results[1].months must be an integer from 0 to 1200',
    ],
    [
      { recipient: true, passed: true, stratum: 'A', months: 2.5 },
      'results[1].months must be an integer from 0 to 1200',
    ],
    [
      { recipient: true, passed: true, stratum: 'A', months: 5000 },
      'results[1].months must be an integer from 0 to 1200',
    ],
  ])('refuses a malformed row %o naming its index and field', (row, message) => {
    const rows = [{ recipient: false, passed: true, stratum: 'A', months: 0 }, row] as ExamResultRow[];
    expect(() => aggregateResults(rows)).toThrow(message);
    expect(() => aggregateResults(rows)).toThrow(EvaluationInputError);
    try {
      aggregateResults(rows);
    } catch (error) {
      expect(error).toMatchObject({ code: 'EVALUATION.INVALID_RESULT' });
    }
  });
});

describe('evaluateResults', () => {
  it('gives from individual rows exactly what the statistics give from counts (case d)', () => {
    const strata = referenceCases.cases.d.input.strata;
    const fromRows = evaluateResults(rowsFor(strata));
    const fromCounts = evaluateCounts({
      strata: Object.entries(strata).map(([label, s]) => ({
        label,
        recipients: s.recipients,
        nonRecipients: s.non_recipients,
      })),
      months: fromRows.byMonths.map(({ months, n, passed }) => ({ months, n, passed })),
    });
    expect(fromRows).toEqual(fromCounts);
    // Collapsed over strata, case d is case a.
    expect(fromRows.overall.table).toEqual({ a: 128, b: 72, c: 58, d: 142 });
    expect(fromRows.byMonths[0]).toMatchObject({ months: 0, n: 200, passed: 58 });
  });

  it('reports an empty session as not estimable rather than failing', () => {
    const report = evaluateResults([]);
    expect(report.overall.recipients.passRate).toMatchObject({ estimable: false });
    expect(report.stratified.strata).toEqual([]);
    expect(report.byMonths).toEqual([]);
  });
});
