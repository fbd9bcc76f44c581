/**
 * The pass-rate comparison of the exams service (GET /api/v1/evaluations/pass-rates) as a table a
 * person reads in a terminal: each group's pass rate with its Wilson interval, the differences and
 * ratios between groups with their intervals, the tests, and the per-school strata with the
 * Cochran–Mantel–Haenszel test and the Mantel–Haenszel common odds ratio. Quantities the data do
 * not define are printed as "not estimable" with the reason, never as NaN.
 */

type Estimate =
  { estimable: true; estimate: number; ci95?: [number, number] } | { estimable: false; reason: string };
type Test =
  { estimable: true; statistic?: number; df?: number; p: number } | { estimable: false; reason: string };

interface Group {
  n: number;
  passed: number;
  passRate: Estimate;
}

export interface PassRateReport {
  session: { code: string; examDate: string };
  stratifyBy: string;
  groups: { recipients: Group; nonRecipients: Group };
  comparison: {
    riskDifference: Estimate;
    relativeRisk: Estimate;
    oddsRatio: Estimate;
    chiSquared: { pearson: Test; yates: Test };
    fisherExact: Test;
    expectedCounts?: { estimable: boolean; smallExpectedCounts?: boolean };
  };
  strata: {
    strata: { label: string; recipients: Group; nonRecipients: Group; oddsRatio: Estimate }[];
    cochranMantelHaenszel: { corrected: Test; uncorrected: Test };
    mantelHaenszelOddsRatio: Estimate;
    breslowDay?: Test;
  };
  byMonths?: ({ months: number } & Group)[];
  flags?: { severity: string; message: string }[];
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const number = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3));

export function formatP(p: number): string {
  if (p === 0) return '< 1e-300';
  if (p < 0.0001) return p.toExponential(1);
  return p.toFixed(4);
}

function rate(group: Group): string {
  if (!group.passRate.estimable) return `not estimable (${group.passRate.reason})`;
  const [low, high] = group.passRate.ci95 ?? [NaN, NaN];
  return `${percent(group.passRate.estimate).padStart(6)}  [${percent(low)}, ${percent(high)}]`;
}

function estimate(value: Estimate, show: (x: number) => string = number): string {
  if (!value.estimable) return `not estimable (${value.reason})`;
  const interval = value.ci95 ? `  [${show(value.ci95[0])}, ${show(value.ci95[1])}]` : '';
  return `${show(value.estimate)}${interval}`;
}

function test(value: Test): string {
  if (!value.estimable) return `not estimable (${value.reason})`;
  const statistic =
    value.statistic !== undefined ? `χ² = ${value.statistic.toFixed(2)}, df ${value.df}, ` : '';
  return `${statistic}p = ${formatP(value.p)}`;
}

function table(rows: string[][], indent = '  '): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
        .join('   ')
        .trimEnd(),
  );
}

export function formatPassRateReport(report: PassRateReport): string {
  const { recipients, nonRecipients } = report.groups;
  const points = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pts`;
  const lines: string[] = [];
  lines.push(
    `Pass rates at ${report.session.code} (exam of ${report.session.examDate}): scholarship recipients vs non-recipients`,
  );
  lines.push('');
  lines.push(
    ...table([
      ['group', 'n', 'passed', 'pass rate  95% CI (Wilson)'],
      ['recipients', String(recipients.n), String(recipients.passed), rate(recipients)],
      ['non-recipients', String(nonRecipients.n), String(nonRecipients.passed), rate(nonRecipients)],
    ]),
  );
  lines.push('');
  lines.push('  recipients compared with non-recipients (estimate  [95% CI])');
  const c = report.comparison;
  lines.push(`    risk difference (Newcombe)      ${estimate(c.riskDifference, points)}`);
  lines.push(`    relative risk (log interval)    ${estimate(c.relativeRisk)}`);
  lines.push(`    odds ratio (Woolf)              ${estimate(c.oddsRatio)}`);
  lines.push(`    chi-squared (Pearson)           ${test(c.chiSquared.pearson)}`);
  lines.push(`    chi-squared (Yates-corrected)   ${test(c.chiSquared.yates)}`);
  lines.push(`    Fisher's exact test, two-sided  ${test(c.fisherExact)}`);
  if (c.expectedCounts?.smallExpectedCounts)
    lines.push('    (small expected counts: trust Fisher over chi-squared)');

  const strata = report.strata;
  if (strata.strata.length > 0) {
    lines.push('');
    lines.push(`  stratified by ${report.stratifyBy}`);
    const share = (group: Group) =>
      `${group.passed}/${group.n} ${group.passRate.estimable ? percent(group.passRate.estimate) : '—'}`;
    lines.push(
      ...table(
        [
          [report.stratifyBy, 'recipients', 'non-recipients', 'odds ratio (Woolf) [95% CI]'],
          ...strata.strata.map((stratum) => [
            stratum.label,
            share(stratum.recipients),
            share(stratum.nonRecipients),
            estimate(stratum.oddsRatio),
          ]),
        ],
        '    ',
      ),
    );
    lines.push(`    Cochran–Mantel–Haenszel (corrected)    ${test(strata.cochranMantelHaenszel.corrected)}`);
    lines.push(
      `    Cochran–Mantel–Haenszel (uncorrected)  ${test(strata.cochranMantelHaenszel.uncorrected)}`,
    );
    lines.push(
      `    Mantel–Haenszel common odds ratio      ${estimate(strata.mantelHaenszelOddsRatio)} (Robins–Breslow–Greenland)`,
    );
    if (strata.breslowDay)
      lines.push(`    Breslow–Day homogeneity                ${test(strata.breslowDay)}`);
  }

  if (report.byMonths && report.byMonths.length > 0) {
    lines.push('');
    lines.push('  pass rate by months of stipend received before the exam');
    lines.push(
      ...table(
        [
          ['months', 'n', 'passed', 'pass rate  95% CI (Wilson)'],
          ...report.byMonths.map((row) => [String(row.months), String(row.n), String(row.passed), rate(row)]),
        ],
        '    ',
      ),
    );
  }
  for (const flag of report.flags ?? [])
    lines.push(`  ${flag.severity === 'warning' ? '⚠' : 'ℹ'} ${flag.message}`);
  return lines.join('\n');
}
