import { MAX_TYPED_COUNT } from './dto/evaluation.dto';
import { EvaluateTwoByTwoUseCase } from './evaluate-two-by-two.use-case';

describe('EvaluateTwoByTwoUseCase', () => {
  it('keeps typed-in counts to what exam cohorts can be', () => {
    // A national certification exam sits thousands; a billion per group only bought CPU time.
    expect(MAX_TYPED_COUNT).toBe(1_000_000);
  });

  it('answers the largest request it accepts, saying which exact quantities were not computed', () => {
    const strata = Array.from({ length: 200 }, (_, i) => ({
      name: `stratum ${i}`,
      recipients: { passed: MAX_TYPED_COUNT / 2, total: MAX_TYPED_COUNT },
      nonRecipients: { passed: MAX_TYPED_COUNT / 2 - 1000 + i, total: MAX_TYPED_COUNT },
    }));
    const statistics = new EvaluateTwoByTwoUseCase().execute(strata);
    expect(statistics.comparison.conditionalOddsRatio).toEqual({
      estimable: false,
      reason: expect.stringMatching(
        /^not computed: too many results for the conditional \(exact\) odds ratio/,
      ),
    });
    expect(statistics.strata.exactConditional.test).toEqual({
      estimable: false,
      reason: expect.stringMatching(/^not computed: too many results for the exact stratified test/),
    });
    // Everything that does not need the exact search is still there.
    expect(statistics.comparison.oddsRatio.estimable).toBe(true);
    expect(statistics.comparison.fisherExact.estimable).toBe(true);
    expect(statistics.strata.mantelHaenszelOddsRatio.estimable).toBe(true);
    expect(statistics.strata.cochranMantelHaenszel.corrected.estimable).toBe(true);
  });
});
