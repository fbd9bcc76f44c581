import { validateGroupCounts } from './counts';
import { EvaluationInputError } from './statistics.errors';
import { summariseGroup, type GroupSummary } from './wilson-interval';

/** Stipend months are bounded by the programme's length; the cap keeps a garbage value from sizing arrays. */
export const MAX_MONTHS = 1200;

/** Results of the students who had received `months` monthly stipends before the exam. */
export interface MonthCounts {
  readonly months: number;
  readonly n: number;
  readonly passed: number;
}

export interface MonthsPassRate extends GroupSummary {
  readonly months: number;
}

export function isValidMonths(months: unknown): months is number {
  return typeof months === 'number' && Number.isInteger(months) && months >= 0 && months <= MAX_MONTHS;
}

/** "0 months", "1 month", "2 months": the label charts and CSV use for a months count. */
export function monthsLabel(months: number): string {
  return `${months} ${months === 1 ? 'month' : 'months'}`;
}

export const MONTHS_PROBLEM = `must be an integer from 0 to ${MAX_MONTHS}`;

/** Pass rate with Wilson interval for each months count, ascending; months nobody had are left out. */
export function passRateByMonthsFromCounts(counts: readonly MonthCounts[]): MonthsPassRate[] {
  if (!Array.isArray(counts)) {
    throw new EvaluationInputError('EVALUATION.INVALID_COUNTS', 'months', 'must be an array');
  }
  const seen = new Set<number>();
  counts.forEach((entry, index) => {
    if (entry === null || typeof entry !== 'object' || !isValidMonths(entry.months)) {
      throw new EvaluationInputError('EVALUATION.INVALID_COUNTS', `months[${index}].months`, MONTHS_PROBLEM);
    }
    if (seen.has(entry.months)) {
      throw new EvaluationInputError(
        'EVALUATION.INVALID_COUNTS',
        `months[${index}].months`,
        `repeats ${entry.months}; each months count must be given once`,
      );
    }
    seen.add(entry.months);
    validateGroupCounts(entry, `months[${index}]`);
  });
  return [...counts]
    .filter((entry) => entry.n > 0)
    .sort((x, y) => x.months - y.months)
    .map((entry, index) => ({ months: entry.months, ...summariseGroup(entry, `months[${index}]`) }));
}

/** Same, from individual results (each with its months count and outcome), in one pass. */
export function passRateByMonths(
  results: readonly { readonly months: number; readonly passed: boolean }[],
): MonthsPassRate[] {
  const n: number[] = [];
  const passed: number[] = [];
  for (let i = 0; i < results.length; i++) {
    const result = results[i];
    if (!isValidMonths(result.months)) {
      throw new EvaluationInputError('EVALUATION.INVALID_RESULT', `results[${i}].months`, MONTHS_PROBLEM);
    }
    if (typeof result.passed !== 'boolean') {
      throw new EvaluationInputError(
        'EVALUATION.INVALID_RESULT',
        `results[${i}].passed`,
        'must be a boolean',
      );
    }
    while (n.length <= result.months) {
      n.push(0);
      passed.push(0);
    }
    n[result.months]++;
    if (result.passed) passed[result.months]++;
  }
  return passRateByMonthsFromCounts(n.map((count, months) => ({ months, n: count, passed: passed[months] })));
}
