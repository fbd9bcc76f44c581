import type { FieldProblem } from '@scholarpay/platform';
import { formatXof } from '@scholarpay/money';
import { compareMonths, monthsInclusive, YearMonth } from './year-month';

export const maxProgrammeMonths = 120;

export interface ProgrammeTermsInput {
  monthlyStipend: number;
  firstMonth: YearMonth;
  lastMonth: YearMonth;
  budget: number;
}

/**
 * Checks a programme's terms together (each field alone is checked by the request DTO): months in
 * order and not all past, a budget that pays at least one month, totals that stay whole francs.
 */
export function programmeTermsProblems(terms: ProgrammeTermsInput, currentMonth: YearMonth): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (compareMonths(terms.firstMonth, terms.lastMonth) > 0) {
    problems.push({
      field: 'lastMonth',
      problem: `must not be before firstMonth (${terms.lastMonth} is before ${terms.firstMonth})`,
    });
  } else if (monthsInclusive(terms.firstMonth, terms.lastMonth) > maxProgrammeMonths) {
    problems.push({
      field: 'lastMonth',
      problem: `a programme pays at most ${maxProgrammeMonths} months; ${terms.firstMonth} to ${terms.lastMonth} is ${monthsInclusive(terms.firstMonth, terms.lastMonth)}`,
    });
  }
  if (compareMonths(terms.lastMonth, currentMonth) < 0) {
    problems.push({
      field: 'lastMonth',
      problem: `${terms.lastMonth} has passed (this month is ${currentMonth}): a programme must have a month left to pay`,
    });
  }
  if (terms.budget < terms.monthlyStipend) {
    problems.push({
      field: 'budget',
      problem: `must cover at least one month's stipend (${formatXof(terms.monthlyStipend)}); got ${formatXof(terms.budget)}`,
    });
  }
  return problems;
}
