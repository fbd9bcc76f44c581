import type { FieldProblem } from '@scholarpay/platform';
import { formatXof } from '@scholarpay/money';
import { compareMonths, monthsInclusive, YearMonth } from './year-month';

export const maxProgrammeMonths = 120;

/**
 * The most XOF a programme may name: its monthly stipend, its budget, and one award's whole stipend
 * (stipend × months). 10^12 FCFA is far past any real scholarship programme, and keeps every total
 * derived from them (committed + one more award, sums over programmes in payments' ledger) an exact
 * safe integer (2^53 ≈ 9 × 10^15), where an unbounded amount broke every reader of the programme.
 */
export const maxProgrammeAmount = 1_000_000_000_000;

/** The most places a programme may have: far past any school, and well inside the int column. */
export const maxProgrammeAwards = 1_000_000;

export interface ProgrammeTermsInput {
  monthlyStipend: number;
  firstMonth: YearMonth;
  lastMonth: YearMonth;
  budget: number;
  maxAwards?: number | null;
}

/**
 * Checks a programme's terms together (each field's type is checked by the request DTO): months in
 * order and not all past, amounts and places within their caps, a budget that pays at least one
 * month, and one award's whole stipend within the cap, so every total stays whole francs.
 */
export function programmeTermsProblems(terms: ProgrammeTermsInput, currentMonth: YearMonth): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const amountCap = (field: 'monthlyStipend' | 'budget') => {
    if (terms[field] <= maxProgrammeAmount) return true;
    problems.push({
      field,
      problem: `must be at most ${formatXof(maxProgrammeAmount)}; got ${formatXof(terms[field])}`,
    });
    return false;
  };
  const stipendWithinCap = amountCap('monthlyStipend');
  amountCap('budget');
  if (terms.maxAwards != null && terms.maxAwards > maxProgrammeAwards) {
    problems.push({
      field: 'maxAwards',
      problem: `must be at most ${maxProgrammeAwards} places; got ${terms.maxAwards}`,
    });
  }
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
  } else if (stipendWithinCap) {
    // At most 10^12 × 120 here: the product itself is exact.
    const months = monthsInclusive(terms.firstMonth, terms.lastMonth);
    const wholeAward = terms.monthlyStipend * months;
    if (wholeAward > maxProgrammeAmount) {
      problems.push({
        field: 'monthlyStipend',
        problem: `${formatXof(terms.monthlyStipend)} a month for ${months} months (${terms.firstMonth} to ${terms.lastMonth}) is ${formatXof(wholeAward)} for one award; at most ${formatXof(maxProgrammeAmount)}`,
      });
    }
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
