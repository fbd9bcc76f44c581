import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { GroupedResultCount } from './evaluation-counts';

export const STRATIFY_BY = ['school', 'regionOfOrigin', 'intakeYear'] as const;
export type StratifyBy = (typeof STRATIFY_BY)[number];

/** Column of exam_results holding each stratification (copied from the students read model). */
const STRATUM_EXPRESSION: Record<StratifyBy, string> = {
  school: 'school_code',
  regionOfOrigin: 'region_of_origin',
  intakeYear: 'intake_year::text',
};

@Injectable()
export class EvaluationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The whole session in one aggregate: results counted by recipient status, outcome, stratum and
   * stipend months. A million results come back as a few hundred rows; the statistics run on those.
   */
  async groupedCounts(sessionId: string, stratifyBy: StratifyBy): Promise<GroupedResultCount[]> {
    const rows: { recipient: boolean; passed: boolean; stratum: string | null; months: number; n: number }[] =
      await this.dataSource.query(
        `SELECT recipient, passed, ${STRATUM_EXPRESSION[stratifyBy]} AS stratum, stipend_months AS months, count(*)::int AS n
           FROM exam_results
          WHERE session_id = $1
          GROUP BY 1, 2, 3, 4`,
        [sessionId],
      );
    return rows;
  }
}
