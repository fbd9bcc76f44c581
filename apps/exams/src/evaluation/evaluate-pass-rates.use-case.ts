import { Injectable } from '@nestjs/common';
import { MetricsService } from '@scholarpay/platform';
import type { ExamSessionEntity } from '../sessions/exam-session.entity';
import { ExamSessionRepository } from '../sessions/exam-session.repository';
import { countsFromGroups } from './evaluation-counts';
import { evaluationFlags, type EvaluationFlag } from './evaluation-flags';
import { EvaluationRepository, type StratifyBy } from './evaluation.repository';
import { asValidationError } from './evaluation.errors';
import { STRATIFY_BY_WORDS } from './pass-rate-report';
import { evaluateCounts, type EvaluationReport } from './statistics';

export interface PassRateEvaluation {
  session: ExamSessionEntity;
  stratifyBy: StratifyBy;
  report: EvaluationReport;
  flags: EvaluationFlag[];
  completeness: {
    results: number;
    /** Results whose student the read model does not know yet (no stratum, counted as non-recipients). */
    resultsWithoutStudent: number;
  };
  computedAt: Date;
}

/** Recipients against non-recipients for one exam session, from the results and the read model. */
@Injectable()
export class EvaluatePassRatesUseCase {
  private readonly duration;

  constructor(
    private readonly sessions: ExamSessionRepository,
    private readonly evaluation: EvaluationRepository,
    metrics: MetricsService,
  ) {
    this.duration = metrics.histogram(
      'evaluation_duration_seconds',
      'Time to evaluate a session',
      ['stratify_by'],
      [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    );
  }

  async execute(query: { sessionId: string; stratifyBy: StratifyBy }): Promise<PassRateEvaluation> {
    const stop = this.duration.startTimer({ stratify_by: query.stratifyBy });
    const session = await this.sessions.get(query.sessionId);
    const rows = await this.evaluation.groupedCounts(session.id, query.stratifyBy);
    const { counts, resultsWithoutStudent, results } = countsFromGroups(rows);
    let report: EvaluationReport;
    try {
      report = evaluateCounts(counts);
    } catch (error) {
      throw asValidationError(error);
    }
    const flags = evaluationFlags(report, {
      stratifiedBy: STRATIFY_BY_WORDS[query.stratifyBy],
      resultsWithoutStudent,
    });
    stop();
    return {
      session,
      stratifyBy: query.stratifyBy,
      report,
      flags,
      completeness: { results, resultsWithoutStudent },
      computedAt: new Date(),
    };
  }
}
