import type { StratumCounts } from './counts';
import { MAX_MONTHS, MONTHS_PROBLEM, type MonthCounts } from './pass-rate-by-months';
import { EvaluationInputError } from './statistics.errors';

/** One student's exam result, as the evaluation needs it. */
export interface ExamResultRow {
  /** Had at least one successful stipend payout before the exam date. */
  readonly recipient: boolean;
  readonly passed: boolean;
  /** School or cohort the result is stratified by. */
  readonly stratum: string;
  /** Stipend months received before the exam (0 for non-recipients). */
  readonly months: number;
}

/** Counts the statistics run on: one 2x2 table per stratum and the months breakdown. */
export interface EvaluationCounts {
  readonly strata: readonly StratumCounts[];
  readonly months: readonly MonthCounts[];
}

// Offsets of a stratum's four counters in the flat counts array.
const RECIPIENTS_N = 0;
const RECIPIENTS_PASSED = 1;
const NON_RECIPIENTS_N = 2;
const NON_RECIPIENTS_PASSED = 3;
const STRATUM_WIDTH = 4;

/**
 * Counts results one at a time, so a caller can stream rows from a cursor. Per row it does a Map
 * lookup and typed-array increments and allocates nothing; arrays grow only when a new stratum
 * or a higher months count turns up.
 */
export class EvaluationCounter {
  private readonly stratumIndex = new Map<string, number>();
  private readonly stratumLabels: string[] = [];
  private strataCells = new Float64Array(16 * STRATUM_WIDTH);
  private monthsCells = new Float64Array(2 * 64);
  private maxMonths = -1;
  private rows = 0;

  add(row: ExamResultRow): void {
    const { recipient, passed, stratum, months } = row;
    if (typeof recipient !== 'boolean') this.reject('recipient', 'must be a boolean');
    if (typeof passed !== 'boolean') this.reject('passed', 'must be a boolean');
    if (typeof stratum !== 'string') this.reject('stratum', 'must be a string');
    // `(months | 0) === months` is the cheap integer test; the range check bounds array growth.
    if (typeof months !== 'number' || (months | 0) !== months || months < 0 || months > MAX_MONTHS) {
      this.reject('months', MONTHS_PROBLEM);
    }

    let index = this.stratumIndex.get(stratum);
    if (index === undefined) index = this.addStratum(stratum);
    const base = index * STRATUM_WIDTH + (recipient ? RECIPIENTS_N : NON_RECIPIENTS_N);
    const cells = this.strataCells;
    cells[base]++;
    if (passed) cells[base + 1]++;

    if (months > this.maxMonths) this.growMonths(months);
    this.monthsCells[2 * months]++;
    if (passed) this.monthsCells[2 * months + 1]++;
    this.rows++;
  }

  addAll(rows: readonly ExamResultRow[]): this {
    for (let i = 0; i < rows.length; i++) this.add(rows[i]);
    return this;
  }

  /** The counts so far, strata in label order (code-unit order, so it never depends on locale). */
  counts(): EvaluationCounts {
    const cells = this.strataCells;
    const strata: StratumCounts[] = this.stratumLabels
      .map((label, index) => ({ label, index }))
      .sort((x, y) => (x.label < y.label ? -1 : x.label > y.label ? 1 : 0))
      .map(({ label, index }) => {
        const base = index * STRATUM_WIDTH;
        return {
          label,
          recipients: { n: cells[base + RECIPIENTS_N], passed: cells[base + RECIPIENTS_PASSED] },
          nonRecipients: { n: cells[base + NON_RECIPIENTS_N], passed: cells[base + NON_RECIPIENTS_PASSED] },
        };
      });
    const months: MonthCounts[] = [];
    for (let m = 0; m <= this.maxMonths; m++) {
      const n = this.monthsCells[2 * m];
      if (n > 0) months.push({ months: m, n, passed: this.monthsCells[2 * m + 1] });
    }
    return { strata, months };
  }

  private addStratum(label: string): number {
    const index = this.stratumLabels.length;
    this.stratumLabels.push(label);
    this.stratumIndex.set(label, index);
    if ((index + 1) * STRATUM_WIDTH > this.strataCells.length) {
      const grown = new Float64Array(this.strataCells.length * 2);
      grown.set(this.strataCells);
      this.strataCells = grown;
    }
    return index;
  }

  private growMonths(months: number): void {
    this.maxMonths = months;
    if (2 * (months + 1) > this.monthsCells.length) {
      const grown = new Float64Array(Math.max(this.monthsCells.length * 2, 2 * (months + 1)));
      grown.set(this.monthsCells);
      this.monthsCells = grown;
    }
  }

  private reject(field: keyof ExamResultRow, problem: string): never {
    throw new EvaluationInputError('EVALUATION.INVALID_RESULT', `results[${this.rows}].${field}`, problem);
  }
}

/** Counts an array of results in a single pass. */
export function aggregateResults(rows: readonly ExamResultRow[]): EvaluationCounts {
  return new EvaluationCounter().addAll(rows).counts();
}
