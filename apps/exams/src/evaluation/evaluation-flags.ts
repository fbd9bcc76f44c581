import type { EvaluationReport } from './statistics';

/** Something a reader of the evaluation should know before trusting a number. */
export interface EvaluationFlag {
  readonly code:
    | 'EMPTY_GROUP'
    | 'SMALL_EXPECTED_COUNTS'
    | 'HETEROGENEOUS_ODDS_RATIOS'
    | 'CONFOUNDING'
    | 'NON_INFORMATIVE_STRATA'
    | 'EXACT_TEST_NOT_COMPUTED'
    | 'STUDENTS_NOT_YET_KNOWN';
  readonly severity: 'warning' | 'info';
  readonly message: string;
}

/** A crude and a stratified odds ratio further apart than this (ratio) suggest confounding (the usual 10% rule). */
const CONFOUNDING_RATIO = 1.1;
const SIGNIFICANCE = 0.05;

function format(value: number, digits = 3): string {
  return Number(value.toPrecision(digits)).toString();
}

export interface FlagContext {
  /** What the strata are, for messages ("school", "intake year"); "stratum" when typed in. */
  readonly stratifiedBy: string;
  readonly resultsWithoutStudent?: number;
}

/** The caveats of a report, most important first. Pure: the same report gives the same flags. */
export function evaluationFlags(report: EvaluationReport, context: FlagContext): EvaluationFlag[] {
  const flags: EvaluationFlag[] = [];
  const { overall, stratified } = report;

  const empty = [
    overall.recipients.n === 0 ? 'recipients' : null,
    overall.nonRecipients.n === 0 ? 'non-recipients' : null,
  ].filter((group): group is string => group !== null);
  if (empty.length > 0) {
    flags.push({
      code: 'EMPTY_GROUP',
      severity: 'warning',
      message: `there are no results for ${empty.join(' nor ')}: the groups cannot be compared`,
    });
  }

  if (overall.expectedCounts.estimable && overall.expectedCounts.smallExpectedCounts) {
    const fisher = overall.fisherExact.estimable ? ` (p = ${format(overall.fisherExact.p)})` : '';
    flags.push({
      code: 'SMALL_EXPECTED_COUNTS',
      severity: 'warning',
      message: `the smallest expected count is ${format(overall.expectedCounts.minimum)}, below 5: chi-squared p-values are unreliable here; trust Fisher's exact test${fisher}`,
    });
  }

  if ((context.resultsWithoutStudent ?? 0) > 0) {
    flags.push({
      code: 'STUDENTS_NOT_YET_KNOWN',
      severity: 'warning',
      message: `${context.resultsWithoutStudent} result(s) belong to students the exams service does not know yet; they are counted as non-recipients in a stratum of their own until enrolment's events arrive`,
    });
  }

  if (stratified.breslowDay.estimable && stratified.breslowDay.p < SIGNIFICANCE) {
    flags.push({
      code: 'HETEROGENEOUS_ODDS_RATIOS',
      severity: 'warning',
      message: `the odds ratio differs between strata (Breslow–Day p = ${format(stratified.breslowDay.p)}): a single common odds ratio may mislead; read the strata one by one`,
    });
  }

  if (
    overall.oddsRatio.estimable &&
    stratified.mantelHaenszelOddsRatio.estimable &&
    stratified.strata.length > 1
  ) {
    const crude = overall.oddsRatio.estimate;
    const adjusted = stratified.mantelHaenszelOddsRatio.estimate;
    if (Math.max(crude / adjusted, adjusted / crude) > CONFOUNDING_RATIO) {
      flags.push({
        code: 'CONFOUNDING',
        severity: 'info',
        message: `stratifying by ${context.stratifiedBy} moves the odds ratio from ${format(crude)} (crude) to ${format(adjusted)} (Mantel–Haenszel), more than 10%: ${context.stratifiedBy} confounds the crude comparison; prefer the stratified estimate`,
      });
    }
  }

  const nonInformative = stratified.strata.filter((stratum) => !stratum.informative);
  if (nonInformative.length > 0 && stratified.strata.length > 1) {
    const names = nonInformative.slice(0, 10).map((stratum) => `"${stratum.label}"`);
    const more = nonInformative.length > 10 ? ` and ${nonInformative.length - 10} more` : '';
    flags.push({
      code: 'NON_INFORMATIVE_STRATA',
      severity: 'info',
      message: `${nonInformative.length} stratum/strata (${names.join(', ')}${more}) lack recipients, non-recipients, passes or failures and add nothing to the Cochran–Mantel–Haenszel, Mantel–Haenszel and Breslow–Day figures`,
    });
  }

  const exact = stratified.exactConditional.test;
  if (!exact.estimable && exact.reason.startsWith('not computed')) {
    flags.push({
      code: 'EXACT_TEST_NOT_COMPUTED',
      severity: 'info',
      message:
        'the exact stratified test was not computed for this many results; the Cochran–Mantel–Haenszel test is reliable at this size',
    });
  }
  return flags;
}
