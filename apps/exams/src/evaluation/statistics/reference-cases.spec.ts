import referenceCases from '../../../test/fixtures/stats-cases.json';
import type { IntervalEstimate, ChiSquaredTest, ExactTest, PointEstimate } from './estimable';
import { compareTwoGroups, evaluateCounts, stratifiedAnalysis, type StratumCounts } from './index';

/**
 * Every numeric value in stats-cases.json (values computed with R) is either checked here within
 * the fixture's relative tolerance or listed as not applicable with the reason, so a value added
 * to the fixture later fails this spec until someone decides which it is.
 */

const RELATIVE_TOLERANCE = 1e-5;
/** R's fisher.test / mantelhaen.test output is only as precise as uniroot's default tolerance. */
const R_UNIROOT_TOLERANCE = 1e-3;

const NOT_APPLICABLE: Record<string, string> = {
  wilson_cc_95ci_R_prop_test_default:
    'continuity-corrected Wilson; the design asks for the plain Wilson interval',
  wald_95ci_R_prop_test_correct_false: 'Wald interval; the design asks for Newcombe',
  wald_cc_95ci_R_prop_test_default: 'Wald interval; the design asks for Newcombe',
};

type Case = (typeof referenceCases.cases)[keyof typeof referenceCases.cases];

function interval(value: IntervalEstimate): number[] {
  if (!value.estimable) throw new Error(`expected an estimate, got not estimable: ${value.reason}`);
  return [value.estimate, value.ci95[0], value.ci95[1]];
}
function point(value: PointEstimate | IntervalEstimate): number {
  if (!value.estimable) throw new Error(`expected an estimate, got not estimable: ${value.reason}`);
  return value.estimate;
}
function test(value: ChiSquaredTest): { statistic: number; df: number; p: number } {
  if (!value.estimable) throw new Error(`expected a test, got not estimable: ${value.reason}`);
  return value;
}
function exact(value: ExactTest): number {
  if (!value.estimable) throw new Error(`expected a test, got not estimable: ${value.reason}`);
  return value.p;
}

/** Numeric leaves of the fixture, keyed by dotted path. */
function leaves(value: unknown, path: string, out: Map<string, number>): Map<string, number> {
  if (typeof value === 'number') out.set(path, value);
  else if (Array.isArray(value)) value.forEach((item, i) => leaves(item, `${path}[${i}]`, out));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) leaves(item, path ? `${path}.${key}` : key, out);
  }
  return out;
}

function expectRelativelyClose(path: string, actual: number, expected: number, tolerance: number): void {
  const error = Math.abs(actual - expected) / Math.abs(expected);
  if (!(error <= tolerance)) {
    throw new Error(`${path}: got ${actual}, R says ${expected} (relative error ${error.toExponential(2)})`);
  }
}

function twoGroupActuals(input: {
  recipients: { passed: number; n: number };
  non_recipients: { passed: number; n: number };
}): Map<string, number> {
  const result = compareTwoGroups({ recipients: input.recipients, nonRecipients: input.non_recipients });
  const [rate1, l1, u1] = interval(result.recipients.passRate);
  const [rate2, l2, u2] = interval(result.nonRecipients.passRate);
  const [rd, rdLower, rdUpper] = interval(result.riskDifference);
  const [rr, rrLower, rrUpper] = interval(result.relativeRisk);
  const [or, orLower, orUpper] = interval(result.oddsRatio);
  const [mle, mleLower, mleUpper] = interval(result.conditionalOddsRatio);
  const pearson = test(result.chiSquared.pearson);
  const yates = test(result.chiSquared.yates);
  const expected = result.expectedCounts;
  if (!expected.estimable) throw new Error('expected counts should be estimable');
  return new Map([
    ['recipients.rate', rate1],
    ['recipients.wilson_95ci[0]', l1],
    ['recipients.wilson_95ci[1]', u1],
    ['non_recipients.rate', rate2],
    ['non_recipients.wilson_95ci[0]', l2],
    ['non_recipients.wilson_95ci[1]', u2],
    ['risk_difference.estimate', rd],
    ['risk_difference.newcombe_hybrid_score_95ci[0]', rdLower],
    ['risk_difference.newcombe_hybrid_score_95ci[1]', rdUpper],
    ['relative_risk.estimate', rr],
    ['relative_risk.log_katz_95ci[0]', rrLower],
    ['relative_risk.log_katz_95ci[1]', rrUpper],
    ['odds_ratio.sample_estimate', or],
    ['odds_ratio.woolf_logit_95ci[0]', orLower],
    ['odds_ratio.woolf_logit_95ci[1]', orUpper],
    ['odds_ratio.conditional_mle', mle],
    ['odds_ratio.conditional_exact_95ci[0]', mleLower],
    ['odds_ratio.conditional_exact_95ci[1]', mleUpper],
    ['odds_ratio.R_fisher_test_default_output.estimate', mle],
    ['odds_ratio.R_fisher_test_default_output.conf_int[0]', mleLower],
    ['odds_ratio.R_fisher_test_default_output.conf_int[1]', mleUpper],
    ['chi_squared.df', pearson.df],
    ['chi_squared.min_expected_count', expected.minimum],
    ['chi_squared.pearson_no_correction.statistic', pearson.statistic],
    ['chi_squared.pearson_no_correction.p', pearson.p],
    ['chi_squared.yates_corrected.statistic', yates.statistic],
    ['chi_squared.yates_corrected.p', yates.p],
    ['fisher_exact.p_two_sided', exact(result.fisherExact)],
  ]);
}

function stratifiedActuals(
  input: Record<
    string,
    { recipients: { passed: number; n: number }; non_recipients: { passed: number; n: number } }
  >,
): Map<string, number> {
  const strata: StratumCounts[] = Object.entries(input).map(([label, stratum]) => ({
    label,
    recipients: stratum.recipients,
    nonRecipients: stratum.non_recipients,
  }));
  const result = stratifiedAnalysis(strata);
  const report = evaluateCounts({ strata, months: [] });
  const actual = new Map<string, number>();
  for (const stratum of result.strata)
    actual.set(`stratum_sample_or.${stratum.label}`, point(stratum.oddsRatio));
  actual.set('crude_or_collapsed', point(report.overall.oddsRatio));
  const tests: [string, ChiSquaredTest][] = [
    ['cmh_chisq_with_continuity_correction', result.cochranMantelHaenszel.corrected],
    ['cmh_chisq_no_correction', result.cochranMantelHaenszel.uncorrected],
    ['breslow_day', result.breslowDay],
    ['breslow_day_tarone', result.breslowDayTarone],
    ['woolf_homogeneity', result.woolfHomogeneity],
  ];
  for (const [key, value] of tests) {
    const { statistic, df, p } = test(value);
    actual.set(`${key}.statistic`, statistic).set(`${key}.df`, df).set(`${key}.p`, p);
  }
  const [mhOr, mhLower, mhUpper] = interval(result.mantelHaenszelOddsRatio);
  actual
    .set('mantel_haenszel_common_or.estimate', mhOr)
    .set('mantel_haenszel_common_or.rbg_95ci[0]', mhLower)
    .set('mantel_haenszel_common_or.rbg_95ci[1]', mhUpper)
    .set('mantel_haenszel_common_rr_point', point(result.mantelHaenszelRiskRatio));
  const [exactOr, exactLower, exactUpper] = interval(result.exactConditional.commonOddsRatio);
  actual
    .set('exact_conditional_cmh.p_two_sided', exact(result.exactConditional.test))
    .set('exact_conditional_cmh.conditional_mle_or', exactOr)
    .set('exact_conditional_cmh.exact_95ci[0]', exactLower)
    .set('exact_conditional_cmh.exact_95ci[1]', exactUpper)
    .set('exact_conditional_cmh.R_mantelhaen_test_exact_default_output.estimate', exactOr)
    .set('exact_conditional_cmh.R_mantelhaen_test_exact_default_output.conf_int[0]', exactLower)
    .set('exact_conditional_cmh.R_mantelhaen_test_exact_default_output.conf_int[1]', exactUpper);
  return actual;
}

function actualsFor(reference: Case): Map<string, number> {
  const input = reference.input as Record<string, unknown>;
  return 'strata' in input
    ? stratifiedActuals(input.strata as Parameters<typeof stratifiedActuals>[0])
    : twoGroupActuals(input as Parameters<typeof twoGroupActuals>[0]);
}

describe('statistics against the R reference values (stats-cases.json)', () => {
  const cases = Object.entries(referenceCases.cases) as [string, Case][];

  it('covers cases a, b and d', () => {
    expect(cases.map(([name]) => name)).toEqual(expect.arrayContaining(['a', 'b', 'd']));
  });

  describe.each(cases)('case %s', (_name, reference) => {
    const { input: _input, ...expectedValues } = reference as Case & { input: unknown };
    const expected = leaves(expectedValues, '', new Map());
    const actual = actualsFor(reference);

    const applicable = [...expected.entries()].filter(
      ([path]) => !Object.keys(NOT_APPLICABLE).some((key) => path.split(/[.[]/).includes(key)),
    );

    it('has a computed value for every applicable reference value', () => {
      const missing = applicable.map(([path]) => path).filter((path) => !actual.has(path));
      expect(missing).toEqual([]);
    });

    it.each(applicable)('%s = %d', (path, expectedValue) => {
      const tolerance = /R_(fisher|mantelhaen)_test_\w*default_output/.test(path)
        ? R_UNIROOT_TOLERANCE
        : RELATIVE_TOLERANCE;
      expectRelativelyClose(path, actual.get(path) as number, expectedValue, tolerance);
    });
  });
});
