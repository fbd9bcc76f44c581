import type { EvaluationFlag } from './evaluation-flags';
import type {
  EvaluationReport,
  GroupSummary,
  MonthsPassRate,
  StratifiedAnalysis,
  TwoGroupComparison,
} from './statistics';

/** The statistics as the API returns them: the two groups, their comparison, the strata, and the caveats. */
export interface PassRateStatistics {
  groups: { recipients: GroupSummary; nonRecipients: GroupSummary };
  comparison: Omit<TwoGroupComparison, 'recipients' | 'nonRecipients'>;
  strata: StratifiedAnalysis;
  byMonths?: readonly MonthsPassRate[];
  flags: EvaluationFlag[];
}

export function presentStatistics(
  report: EvaluationReport,
  flags: EvaluationFlag[],
  withMonths: boolean,
): PassRateStatistics {
  const { recipients, nonRecipients, ...comparison } = report.overall;
  return {
    groups: { recipients, nonRecipients },
    comparison,
    strata: report.stratified,
    ...(withMonths ? { byMonths: report.byMonths } : {}),
    flags,
  };
}

export const STRATIFY_BY_WORDS = {
  school: 'school',
  regionOfOrigin: 'region of origin',
  intakeYear: 'intake year',
} as const;
