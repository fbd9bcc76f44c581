// Public entry of the evaluation statistics: pure functions on counts, no Nest, no I/O.
export * from './estimable';
export * from './statistics.errors';
export { Z_95, chiSquaredUpperTail } from './distributions';
export * from './counts';
export { wilsonInterval, wilsonBounds, summariseGroup, type GroupSummary } from './wilson-interval';
export {
  compareTwoGroups,
  riskDifference,
  relativeRisk,
  oddsRatio,
  expectedCounts,
  chiSquared,
  fisherExact,
  type ExpectedCounts,
  type TwoGroupComparison,
} from './two-group-comparison';
export {
  ConditionalTableDistribution,
  conditionalOddsRatio,
  fisherExactTwoSidedP,
  MAX_CONDITIONAL_ODDS_RATIO_WINDOW,
} from './conditional-2x2';
export {
  exactStratifiedAnalysis,
  MAX_EXACT_STRATIFIED_WORK,
  type ExactStratifiedAnalysis,
} from './exact-stratified';
export {
  stratifiedAnalysis,
  cochranMantelHaenszel,
  mantelHaenszelOddsRatio,
  mantelHaenszelRiskRatio,
  breslowDay,
  woolfHomogeneity,
  type StratifiedAnalysis,
  type StratumSummary,
} from './stratified-analysis';
export {
  passRateByMonths,
  passRateByMonthsFromCounts,
  MAX_MONTHS,
  monthsLabel,
  type MonthCounts,
  type MonthsPassRate,
} from './pass-rate-by-months';
export {
  EvaluationCounter,
  aggregateResults,
  type EvaluationCounts,
  type ExamResultRow,
} from './aggregate-results';
export { evaluateCounts, evaluateResults, type EvaluationReport } from './evaluation-report';
export {
  renderPassRateChartSvg,
  comparisonChartGroups,
  monthsChartGroups,
  escapeXml,
  type PassRateChart,
  type PassRateChartGroup,
} from './pass-rate-chart.renderer';
export { evaluationToCsv, toCsv, EVALUATION_CSV_COLUMNS } from './evaluation-csv.serializer';
