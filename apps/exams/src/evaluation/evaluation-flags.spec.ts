import { evaluationFlags } from './evaluation-flags';
import { evaluateCounts } from './statistics';

const codes = (flags: { code: string }[]) => flags.map((flag) => flag.code);

describe('evaluationFlags', () => {
  it('raises nothing for a large, homogeneous, unconfounded comparison', () => {
    const report = evaluateCounts({
      strata: [
        { label: 'A', recipients: { n: 60, passed: 40 }, nonRecipients: { n: 50, passed: 15 } },
        { label: 'B', recipients: { n: 80, passed: 50 }, nonRecipients: { n: 70, passed: 20 } },
        { label: 'C', recipients: { n: 60, passed: 38 }, nonRecipients: { n: 80, passed: 23 } },
      ],
      months: [],
    });
    expect(evaluationFlags(report, { stratifiedBy: 'school' })).toEqual([]);
  });

  it('flags empty groups', () => {
    const report = evaluateCounts({
      strata: [{ label: 'A', recipients: { n: 0, passed: 0 }, nonRecipients: { n: 5, passed: 2 } }],
      months: [],
    });
    const flags = evaluationFlags(report, { stratifiedBy: 'school' });
    expect(flags[0]).toEqual({
      code: 'EMPTY_GROUP',
      severity: 'warning',
      message: 'there are no results for recipients: the groups cannot be compared',
    });
  });

  it("flags small expected counts and quotes Fisher's p", () => {
    const report = evaluateCounts({
      strata: [{ label: 'A', recipients: { n: 10, passed: 7 }, nonRecipients: { n: 10, passed: 2 } }],
      months: [],
    });
    const [flag] = evaluationFlags(report, { stratifiedBy: 'school' });
    expect(flag.code).toBe('SMALL_EXPECTED_COUNTS');
    expect(flag.message).toBe(
      "the smallest expected count is 4.5, below 5: chi-squared p-values are unreliable here; trust Fisher's exact test (p = 0.0698)",
    );
  });

  it('flags heterogeneous odds ratios and confounding by the stratification', () => {
    // Recipients are concentrated in the school where everyone does well: crude OR overstates the effect,
    // and the effect goes opposite ways in the two schools.
    const report = evaluateCounts({
      strata: [
        { label: 'good school', recipients: { n: 200, passed: 180 }, nonRecipients: { n: 20, passed: 10 } },
        { label: 'poor school', recipients: { n: 20, passed: 4 }, nonRecipients: { n: 200, passed: 60 } },
      ],
      months: [],
    });
    const flags = evaluationFlags(report, { stratifiedBy: 'school' });
    expect(codes(flags)).toEqual(['HETEROGENEOUS_ODDS_RATIOS', 'CONFOUNDING']);
    expect(flags[1].message).toMatch(
      /^stratifying by school moves the odds ratio from [\d.]+ \(crude\) to [\d.]+ \(Mantel–Haenszel\)/,
    );
  });

  it('names strata that add nothing, and students not yet known', () => {
    const report = evaluateCounts({
      strata: [
        { label: 'A', recipients: { n: 60, passed: 40 }, nonRecipients: { n: 50, passed: 15 } },
        { label: 'only recipients', recipients: { n: 6, passed: 3 }, nonRecipients: { n: 0, passed: 0 } },
      ],
      months: [],
    });
    const flags = evaluationFlags(report, { stratifiedBy: 'school', resultsWithoutStudent: 2 });
    expect(codes(flags)).toEqual(['STUDENTS_NOT_YET_KNOWN', 'NON_INFORMATIVE_STRATA']);
    expect(flags[1].message).toContain('"only recipients"');
  });

  it('says when the exact stratified test was not computed', () => {
    const big = (label: string) => ({
      label,
      recipients: { n: 60000, passed: 40000 },
      nonRecipients: { n: 50000, passed: 15000 },
    });
    const report = evaluateCounts({ strata: [big('A'), big('B')], months: [] });
    expect(codes(evaluationFlags(report, { stratifiedBy: 'school' }))).toContain('EXACT_TEST_NOT_COMPUTED');
  });
});
