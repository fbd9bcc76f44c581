import { parse } from 'csv-parse/sync';
import { evaluateCounts } from './evaluation-report';
import { EVALUATION_CSV_COLUMNS, evaluationToCsv, toCsv } from './evaluation-csv.serializer';

const stratum = (label: string, a: number, n1: number, c: number, n2: number) => ({
  label,
  recipients: { passed: a, n: n1 },
  nonRecipients: { passed: c, n: n2 },
});

const report = evaluateCounts({
  strata: [
    stratum('A', 40, 60, 15, 50),
    stratum('Lycée "Saint-Louis", Dakar', 50, 80, 20, 70),
    stratum('C', 38, 60, 23, 80),
  ],
  months: [
    { months: 0, n: 200, passed: 58 },
    { months: 1, n: 90, passed: 60 },
    { months: 4, n: 110, passed: 68 },
  ],
});

type Record = { [K in (typeof EVALUATION_CSV_COLUMNS)[number]]: string };

function records(csv: string): Record[] {
  return parse(csv, { columns: true, relax_column_count: false }) as Record[];
}

describe('evaluationToCsv', () => {
  const csv = evaluationToCsv(report);
  const rows = records(csv);

  it('is RFC 4180: header first, CRLF line ends, the same number of fields on every line', () => {
    expect(csv.split('\r\n')[0]).toBe(EVALUATION_CSV_COLUMNS.join(','));
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/\n/);
    // 10 overall + 3 per stratum + 9 pooled + 1 per months count.
    expect(rows).toHaveLength(10 + 3 * 3 + 9 + 3);
  });

  it('writes numbers at full precision so they parse back exactly', () => {
    const recipients = rows.find((r) => r.section === 'overall' && r.group === 'recipients');
    expect(recipients).toMatchObject({
      measure: 'pass_rate',
      method: 'wilson',
      n: '200',
      passed: '128',
      estimate: '0.64',
    });
    const wilson = report.overall.recipients.passRate;
    if (!wilson.estimable) throw new Error('estimable');
    expect(Number(recipients?.ci95_lower)).toBe(wilson.ci95[0]);
    const fisher = rows.find((r) => r.measure === 'fisher_exact');
    expect(Number(fisher?.p_value)).toBe(
      report.overall.fisherExact.estimable ? report.overall.fisherExact.p : NaN,
    );
    const cmh = rows.find((r) => r.measure === 'cmh_chi_squared' && r.method === 'continuity_corrected');
    expect(cmh).toMatchObject({ section: 'stratified', df: '1' });
    expect(Number(cmh?.p_value)).toBeCloseTo(7.78479e-12, 16);
  });

  it('quotes fields with commas and quotes, and round-trips them', () => {
    expect(csv).toContain('"Lycée ""Saint-Louis"", Dakar"');
    expect(rows.filter((r) => r.stratum === 'Lycée "Saint-Louis", Dakar')).toHaveLength(3);
  });

  it('lists pass rate by months in order with readable labels', () => {
    expect(rows.filter((r) => r.section === 'by_months').map((r) => r.group)).toEqual([
      '0 months',
      '1 month',
      '4 months',
    ]);
  });

  it('leaves number cells empty and explains in the note when something is not estimable', () => {
    const degenerate = evaluationToCsv(evaluateCounts({ strata: [stratum('A', 0, 5, 3, 7)], months: [] }));
    const odds = records(degenerate).find((r) => r.section === 'overall' && r.method === 'woolf_logit');
    expect(odds).toMatchObject({
      estimate: '',
      ci95_lower: '',
      ci95_upper: '',
      note: 'not estimable: an odds ratio needs every cell of the 2x2 table to be non-zero',
    });
    const expected = records(degenerate).find((r) => r.measure === 'min_expected_count');
    expect(expected?.note).toMatch(/Fisher/);
  });

  it('defuses text that a spreadsheet would run as a formula', () => {
    const hostile = evaluationToCsv(
      evaluateCounts({
        strata: [stratum('=HYPERLINK("http://x")', 1, 2, 1, 2), stratum('@SUM(A1)', 1, 2, 1, 2)],
        months: [],
      }),
    );
    const labels = records(hostile)
      .filter((r) => r.section === 'stratum')
      .map((r) => r.stratum);
    expect(new Set(labels)).toEqual(new Set(['\'=HYPERLINK("http://x")', "'@SUM(A1)"]));
  });
});

describe('toCsv', () => {
  it('quotes commas, quotes and line breaks, leaves numbers alone and empties missing cells', () => {
    expect(toCsv(['a', 'b', 'c'], [{ a: 'x,y', b: 'say "hi"', c: -1.5 }, { a: 'line\nbreak' }])).toBe(
      'a,b,c\r\n"x,y","say ""hi""",-1.5\r\n"line\nbreak",,\r\n',
    );
  });

  it('refuses to write a non-finite number', () => {
    expect(() => toCsv(['a'], [{ a: Number.NaN }])).toThrow(/non-finite/);
  });
});
