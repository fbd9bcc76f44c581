import { aggregateResults, type EvaluationCounts, type ExamResultRow } from './aggregate-results';
import { validateStrata } from './counts';
import { passRateByMonthsFromCounts, type MonthsPassRate } from './pass-rate-by-months';
import { stratifiedAnalysis, type StratifiedAnalysis } from './stratified-analysis';
import { compareTwoGroups, type TwoGroupComparison } from './two-group-comparison';

/** The whole evaluation of one exam session: crude comparison, by stratum, by stipend months. */
export interface EvaluationReport {
  /** Recipients against non-recipients with strata pooled (the crude comparison). */
  readonly overall: TwoGroupComparison;
  readonly stratified: StratifiedAnalysis;
  readonly byMonths: readonly MonthsPassRate[];
}

export function evaluateCounts(counts: EvaluationCounts): EvaluationReport {
  validateStrata(counts.strata);
  let recipientsN = 0;
  let recipientsPassed = 0;
  let nonRecipientsN = 0;
  let nonRecipientsPassed = 0;
  for (const stratum of counts.strata) {
    recipientsN += stratum.recipients.n;
    recipientsPassed += stratum.recipients.passed;
    nonRecipientsN += stratum.nonRecipients.n;
    nonRecipientsPassed += stratum.nonRecipients.passed;
  }
  return {
    overall: compareTwoGroups({
      recipients: { n: recipientsN, passed: recipientsPassed },
      nonRecipients: { n: nonRecipientsN, passed: nonRecipientsPassed },
    }),
    stratified: stratifiedAnalysis(counts.strata),
    byMonths: passRateByMonthsFromCounts(counts.months),
  };
}

/** Aggregates individual results in one pass, then runs the statistics on the counts. */
export function evaluateResults(rows: readonly ExamResultRow[]): EvaluationReport {
  return evaluateCounts(aggregateResults(rows));
}
