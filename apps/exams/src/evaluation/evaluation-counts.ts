import type { EvaluationCounts, MonthCounts, StratumCounts } from './statistics';

/** One row of the evaluation's GROUP BY: how many results share these four values. */
export interface GroupedResultCount {
  readonly recipient: boolean;
  readonly passed: boolean;
  /** The stratum's label, or null when the student's attributes are not known yet. */
  readonly stratum: string | null;
  readonly months: number;
  readonly n: number;
}

/** Label of the stratum of results whose student the read model does not know (yet). */
export const UNKNOWN_STRATUM = '(student not yet known)';

/**
 * Turns grouped counts (what the database answers) into the tables the statistics take: one
 * 2x2 per stratum and one pass count per months of stipend. Strata come out in code-unit order,
 * as EvaluationCounter gives them, so the two paths produce identical reports.
 */
export function countsFromGroups(rows: readonly GroupedResultCount[]): {
  counts: EvaluationCounts;
  resultsWithoutStudent: number;
  results: number;
} {
  const strata = new Map<string, { rn: number; rp: number; nn: number; np: number }>();
  const months = new Map<number, { n: number; passed: number }>();
  let resultsWithoutStudent = 0;
  let results = 0;
  for (const row of rows) {
    if (!Number.isSafeInteger(row.n) || row.n < 0) throw new Error(`grouped count ${row.n} is not a count`);
    const label = row.stratum ?? UNKNOWN_STRATUM;
    if (row.stratum === null) resultsWithoutStudent += row.n;
    results += row.n;
    const stratum = strata.get(label) ?? { rn: 0, rp: 0, nn: 0, np: 0 };
    if (row.recipient) {
      stratum.rn += row.n;
      if (row.passed) stratum.rp += row.n;
    } else {
      stratum.nn += row.n;
      if (row.passed) stratum.np += row.n;
    }
    strata.set(label, stratum);
    const month = months.get(row.months) ?? { n: 0, passed: 0 };
    month.n += row.n;
    if (row.passed) month.passed += row.n;
    months.set(row.months, month);
  }
  const stratumCounts: StratumCounts[] = [...strata.entries()]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([label, s]) => ({
      label,
      recipients: { n: s.rn, passed: s.rp },
      nonRecipients: { n: s.nn, passed: s.np },
    }));
  const monthCounts: MonthCounts[] = [...months.entries()]
    .sort(([x], [y]) => x - y)
    .map(([m, c]) => ({ months: m, n: c.n, passed: c.passed }));
  return { counts: { strata: stratumCounts, months: monthCounts }, resultsWithoutStudent, results };
}
