import { Injectable } from '@nestjs/common';
import { evaluationFlags } from './evaluation-flags';
import { asValidationError, EvaluationErrors } from './evaluation.errors';
import { presentStatistics, type PassRateStatistics } from './pass-rate-report';
import { compareTwoGroups, stratifiedAnalysis, type EvaluationReport } from './statistics';
import { toStratumCounts, typedStrataProblems, type TypedStratum } from './two-by-two.rules';

/**
 * The same statistics from counts typed in (figures from another programme or a published
 * report): the strata are pooled for the crude comparison and analysed together for CMH,
 * Mantel–Haenszel and Breslow–Day.
 */
@Injectable()
export class EvaluateTwoByTwoUseCase {
  execute(strata: readonly TypedStratum[]): PassRateStatistics {
    const problems = typedStrataProblems(strata);
    if (problems.length > 0) throw EvaluationErrors.invalidCounts(problems);
    const counts = toStratumCounts(strata);
    try {
      const pooled = counts.reduce(
        (sum, s) => ({
          recipients: {
            n: sum.recipients.n + s.recipients.n,
            passed: sum.recipients.passed + s.recipients.passed,
          },
          nonRecipients: {
            n: sum.nonRecipients.n + s.nonRecipients.n,
            passed: sum.nonRecipients.passed + s.nonRecipients.passed,
          },
        }),
        { recipients: { n: 0, passed: 0 }, nonRecipients: { n: 0, passed: 0 } },
      );
      const report: EvaluationReport = {
        overall: compareTwoGroups(pooled),
        stratified: stratifiedAnalysis(counts),
        byMonths: [],
      };
      return presentStatistics(report, evaluationFlags(report, { stratifiedBy: 'stratum' }), false);
    } catch (error) {
      throw asValidationError(error);
    }
  }
}
