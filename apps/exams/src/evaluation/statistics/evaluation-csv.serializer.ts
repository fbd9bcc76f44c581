import type { ChiSquaredTest, ExactTest, IntervalEstimate, PointEstimate } from './estimable';
import type { EvaluationReport } from './evaluation-report';
import { monthsLabel } from './pass-rate-by-months';
import type { GroupSummary } from './wilson-interval';

/**
 * One row per reported quantity ("long" format), so every cell of a column means the same thing
 * and a spreadsheet can filter on section/measure. Not-estimable quantities leave the number
 * cells empty and say why in `note`.
 */
export const EVALUATION_CSV_COLUMNS = [
  'section',
  'stratum',
  'group',
  'measure',
  'method',
  'n',
  'passed',
  'estimate',
  'ci95_lower',
  'ci95_upper',
  'statistic',
  'df',
  'p_value',
  'note',
] as const;

type Column = (typeof EVALUATION_CSV_COLUMNS)[number];
type Row = Partial<Record<Column, string | number>>;

const COMPARED = 'recipients vs non-recipients';

/** A text cell a spreadsheet would run as a formula (OWASP "CSV injection") gets a leading apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`refusing to write a non-finite number (${value}) to CSV`);
    return String(value);
  }
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  // RFC 4180: quote fields holding a quote, comma or line break; double the quotes inside.
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV (CRLF line ends, header first) from rows keyed by column. */
export function toCsv(
  columns: readonly string[],
  rows: readonly Partial<Record<string, string | number>>[],
): string {
  const lines = [columns.map(cell).join(',')];
  for (const row of rows) lines.push(columns.map((column) => cell(row[column])).join(','));
  return lines.join('\r\n') + '\r\n';
}

function notEstimableNote(reason: string): string {
  return `not estimable: ${reason}`;
}

function intervalRow(base: Row, value: IntervalEstimate): Row {
  return value.estimable
    ? { ...base, estimate: value.estimate, ci95_lower: value.ci95[0], ci95_upper: value.ci95[1] }
    : { ...base, note: notEstimableNote(value.reason) };
}

function pointRow(base: Row, value: PointEstimate): Row {
  return value.estimable
    ? { ...base, estimate: value.estimate }
    : { ...base, note: notEstimableNote(value.reason) };
}

function chiSquaredRow(base: Row, value: ChiSquaredTest): Row {
  return value.estimable
    ? { ...base, statistic: value.statistic, df: value.df, p_value: value.p }
    : { ...base, note: notEstimableNote(value.reason) };
}

function exactRow(base: Row, value: ExactTest): Row {
  return value.estimable ? { ...base, p_value: value.p } : { ...base, note: notEstimableNote(value.reason) };
}

function groupRow(base: Row, group: GroupSummary): Row {
  return intervalRow(
    { ...base, measure: 'pass_rate', method: 'wilson', n: group.n, passed: group.passed },
    group.passRate,
  );
}

/** The evaluation report as CSV: overall comparison, each stratum, pooled strata, pass rate by months. */
export function evaluationToCsv(report: EvaluationReport): string {
  const rows: Row[] = [];
  const overall = report.overall;
  const comparison: Row = { section: 'overall', group: COMPARED };
  rows.push(
    groupRow({ section: 'overall', group: 'recipients' }, overall.recipients),
    groupRow({ section: 'overall', group: 'non-recipients' }, overall.nonRecipients),
    intervalRow(
      { ...comparison, measure: 'risk_difference', method: 'newcombe_hybrid_score' },
      overall.riskDifference,
    ),
    intervalRow({ ...comparison, measure: 'relative_risk', method: 'katz_log' }, overall.relativeRisk),
    intervalRow({ ...comparison, measure: 'odds_ratio', method: 'woolf_logit' }, overall.oddsRatio),
    intervalRow(
      { ...comparison, measure: 'odds_ratio', method: 'conditional_mle_exact' },
      overall.conditionalOddsRatio,
    ),
    overall.expectedCounts.estimable
      ? {
          ...comparison,
          measure: 'min_expected_count',
          estimate: overall.expectedCounts.minimum,
          ...(overall.expectedCounts.smallExpectedCounts
            ? { note: "an expected count is below 5: trust Fisher's exact test over chi-squared" }
            : {}),
        }
      : {
          ...comparison,
          measure: 'min_expected_count',
          note: notEstimableNote(overall.expectedCounts.reason),
        },
    chiSquaredRow({ ...comparison, measure: 'chi_squared', method: 'pearson' }, overall.chiSquared.pearson),
    chiSquaredRow({ ...comparison, measure: 'chi_squared', method: 'yates' }, overall.chiSquared.yates),
    exactRow({ ...comparison, measure: 'fisher_exact', method: 'two_sided' }, overall.fisherExact),
  );

  for (const stratum of report.stratified.strata) {
    const base: Row = { section: 'stratum', stratum: stratum.label };
    rows.push(
      groupRow({ ...base, group: 'recipients' }, stratum.recipients),
      groupRow({ ...base, group: 'non-recipients' }, stratum.nonRecipients),
      intervalRow(
        { ...base, group: COMPARED, measure: 'odds_ratio', method: 'woolf_logit' },
        stratum.oddsRatio,
      ),
    );
  }

  const stratified = report.stratified;
  const pooled: Row = { section: 'stratified', stratum: 'all strata', group: COMPARED };
  rows.push(
    chiSquaredRow(
      { ...pooled, measure: 'cmh_chi_squared', method: 'continuity_corrected' },
      stratified.cochranMantelHaenszel.corrected,
    ),
    chiSquaredRow(
      { ...pooled, measure: 'cmh_chi_squared', method: 'uncorrected' },
      stratified.cochranMantelHaenszel.uncorrected,
    ),
    intervalRow(
      { ...pooled, measure: 'common_odds_ratio', method: 'mantel_haenszel_rbg' },
      stratified.mantelHaenszelOddsRatio,
    ),
    pointRow(
      { ...pooled, measure: 'common_risk_ratio', method: 'mantel_haenszel' },
      stratified.mantelHaenszelRiskRatio,
    ),
    chiSquaredRow(
      { ...pooled, measure: 'odds_ratio_homogeneity', method: 'breslow_day' },
      stratified.breslowDay,
    ),
    chiSquaredRow(
      { ...pooled, measure: 'odds_ratio_homogeneity', method: 'breslow_day_tarone' },
      stratified.breslowDayTarone,
    ),
    chiSquaredRow(
      { ...pooled, measure: 'odds_ratio_homogeneity', method: 'woolf' },
      stratified.woolfHomogeneity,
    ),
    exactRow(
      { ...pooled, measure: 'exact_conditional_test', method: 'two_sided' },
      stratified.exactConditional.test,
    ),
    intervalRow(
      { ...pooled, measure: 'common_odds_ratio', method: 'conditional_mle_exact' },
      stratified.exactConditional.commonOddsRatio,
    ),
  );

  for (const entry of report.byMonths) {
    rows.push(groupRow({ section: 'by_months', group: monthsLabel(entry.months) }, entry));
  }
  return toCsv(EVALUATION_CSV_COLUMNS, rows);
}
