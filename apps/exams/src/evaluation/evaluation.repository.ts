import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { GroupedResultCount } from './evaluation-counts';

export const STRATIFY_BY = ['school', 'regionOfOrigin', 'intakeYear'] as const;
export type StratifyBy = (typeof STRATIFY_BY)[number];

/** Column holding each stratification (copied from the students read model onto results and their counts). */
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
   * stipend months, from the counts the exam_results triggers keep (exam_result_counts), so a
   * million results cost a few thousand rows read. The statistics run on the few hundred groups.
   */
  async groupedCounts(sessionId: string, stratifyBy: StratifyBy): Promise<GroupedResultCount[]> {
    const rows: { recipient: boolean; passed: boolean; stratum: string | null; months: number; n: string }[] =
      await this.dataSource.query(
        `SELECT recipient, passed, ${STRATUM_EXPRESSION[stratifyBy]} AS stratum, stipend_months AS months, sum(n)::bigint AS n
           FROM exam_result_counts
          WHERE session_id = $1
          GROUP BY 1, 2, 3, 4
         HAVING sum(n) > 0`,
        [sessionId],
      );
    return rows.map((row) => ({ ...row, n: toCount(row.n) }));
  }

  /** The same aggregate straight from the result rows: what the counts must always equal (tests, benchmark). */
  async groupedCountsFromResults(sessionId: string, stratifyBy: StratifyBy): Promise<GroupedResultCount[]> {
    const rows: { recipient: boolean; passed: boolean; stratum: string | null; months: number; n: string }[] =
      await this.dataSource.query(
        `SELECT recipient, passed, ${STRATUM_EXPRESSION[stratifyBy]} AS stratum, stipend_months AS months, count(*) AS n
           FROM exam_results
          WHERE session_id = $1
          GROUP BY 1, 2, 3, 4`,
        [sessionId],
      );
    return rows.map((row) => ({ ...row, n: toCount(row.n) }));
  }
}

function toCount(value: string | number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`count ${String(value)} is not a safe integer`);
  return n;
}
