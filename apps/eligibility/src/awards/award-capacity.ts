import { assertXof, Xof } from '@scholarpay/money';
import { compareMonths, laterMonth, monthsInclusive, YearMonth } from '../programmes/year-month';

/** What a programme promises: the stipend, the months it is paid, the money and places it has. */
export interface ProgrammeTerms {
  monthlyStipend: Xof;
  firstMonth: YearMonth;
  lastMonth: YearMonth;
  budget: Xof;
  maxAwards: number | null;
}

/** What the programme's awards already hold: places (active + suspended awards) and money. */
export interface ProgrammeCommitments {
  awardsHeld: number;
  committedAmount: Xof;
}

export type NoCapacityReason = 'programme_ended' | 'no_places_left' | 'budget_exhausted';

export interface Capacity {
  /** How many new awards can be made now. */
  count: number;
  /** The month a new award made now starts, or null once the programme's last month has passed. */
  startMonth: YearMonth | null;
  /** What one new award made now commits: its stipend for every month from its start to the programme's end. */
  costPerAward: Xof;
  placesLeft: number | null;
  budgetLeft: Xof;
  /** Why no award can be made, when `count` is 0. */
  reason: NoCapacityReason | null;
}

/**
 * The money and places rules of awards, as plain arithmetic on whole francs.
 *
 * An award commits its monthly stipend for every month from its first month (the programme's first
 * month, or the current month for an award made later) to the programme's last month. Active and
 * suspended awards hold their whole commitment (a suspended award may be reinstated). A revoked
 * award keeps the months up to and including the month it was revoked in (they may have been paid)
 * and releases the rest. The sum of commitments never exceeds the budget, and awards held never
 * exceed `maxAwards`.
 */
export class AwardCapacity {
  static startMonthOfNewAward(terms: ProgrammeTerms, currentMonth: YearMonth): YearMonth | null {
    const start = laterMonth(terms.firstMonth, currentMonth);
    return compareMonths(start, terms.lastMonth) > 0 ? null : start;
  }

  static commitmentOf(monthlyStipend: Xof, firstMonth: YearMonth, lastMonth: YearMonth): Xof {
    return assertXof(monthlyStipend * monthsInclusive(firstMonth, lastMonth));
  }

  static available(
    terms: ProgrammeTerms,
    commitments: ProgrammeCommitments,
    currentMonth: YearMonth,
  ): Capacity {
    const budgetLeft = Math.max(0, terms.budget - commitments.committedAmount);
    const placesLeft =
      terms.maxAwards === null ? null : Math.max(0, terms.maxAwards - commitments.awardsHeld);
    const startMonth = this.startMonthOfNewAward(terms, currentMonth);
    if (startMonth === null) {
      return { count: 0, startMonth, costPerAward: 0, placesLeft, budgetLeft, reason: 'programme_ended' };
    }
    const costPerAward = this.commitmentOf(terms.monthlyStipend, startMonth, terms.lastMonth);
    const affordable = Math.floor(budgetLeft / costPerAward);
    const count = placesLeft === null ? affordable : Math.min(placesLeft, affordable);
    const reason: NoCapacityReason | null =
      count > 0 ? null : placesLeft === 0 ? 'no_places_left' : 'budget_exhausted';
    return { count, startMonth, costPerAward, placesLeft, budgetLeft, reason };
  }

  /** What a revoked award still commits: its months up to and including the month of revocation. */
  static commitmentAfterRevocation(
    award: { monthlyStipend: Xof; firstMonth: YearMonth; lastMonth: YearMonth },
    revokedInMonth: YearMonth,
  ): Xof {
    if (compareMonths(revokedInMonth, award.firstMonth) < 0) return 0;
    const through = compareMonths(revokedInMonth, award.lastMonth) > 0 ? award.lastMonth : revokedInMonth;
    return this.commitmentOf(award.monthlyStipend, award.firstMonth, through);
  }

  static describeNoCapacity(reason: NoCapacityReason): string {
    switch (reason) {
      case 'programme_ended':
        return "the programme's last month has passed";
      case 'no_places_left':
        return 'every place of the programme is taken';
      case 'budget_exhausted':
        return "the programme's remaining budget does not cover the stipend for the remaining months";
    }
  }
}
