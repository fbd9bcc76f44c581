import { assertXof, Xof } from '@scholarpay/money';
import { addMonths, compareMonths, laterMonth, monthsInclusive, YearMonth } from '../programmes/year-month';

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

export type NoCapacityReason =
  | 'programme_ended'
  | 'no_places_left'
  | 'budget_exhausted'
  /** The student's earlier award in the programme already covers every month up to its last. */
  | 'months_already_covered';

/** What an award covers, as far as months go: enough to tell which months it may be paid for. */
export interface AwardMonths {
  status: 'active' | 'suspended' | 'revoked';
  firstMonth: YearMonth;
  lastMonth: YearMonth;
  revokedInMonth: YearMonth | null;
  /** The latest month payments has paid the award for (its `payout.succeeded` events), or null. */
  lastPaidMonth: YearMonth | null;
}

/** An award as its commitment is worked out: its months and its stipend. */
export interface AwardTerms extends AwardMonths {
  monthlyStipend: Xof;
}

/** A waiting student as the award round sees them: the last month an earlier award of theirs covers. */
export interface GrantCandidate {
  coveredThrough: YearMonth | null;
}

export interface PlannedGrant {
  /** Index of the candidate in the list given. */
  index: number;
  startMonth: YearMonth;
  cost: Xof;
}

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
 * award keeps the months up to and including the later of the month it was revoked in (it may still
 * be paid) and the last month payments paid it for (a month paid in advance is money already out),
 * and releases the rest. New awards never take the sum of commitments past the budget, and awards
 * held never exceed `maxAwards`; only a payout that arrives for a month a revoked award no longer
 * committed (a batch in flight) can grow a commitment past the budget: the money is already out.
 *
 * A month is paid to a student once: a student's new award starts after the last month any earlier
 * award of theirs in the programme covers (payments pays one line per award and month, so two
 * awards covering one month would pay it twice), and so no month is committed twice either.
 */
export class AwardCapacity {
  static startMonthOfNewAward(
    terms: ProgrammeTerms,
    currentMonth: YearMonth,
    coveredThrough: YearMonth | null = null,
  ): YearMonth | null {
    let start = laterMonth(terms.firstMonth, currentMonth);
    if (coveredThrough !== null) start = laterMonth(start, addMonths(coveredThrough, 1));
    return compareMonths(start, terms.lastMonth) > 0 ? null : start;
  }

  /**
   * The last month an award covers (may be paid for, or was), or null when it covers none: a live
   * award runs to its last month; a revoked one keeps the months through the month of revocation, or
   * through the last month it was paid for when payments paid it ahead. `lastMonthCoveredSql` in the
   * award repository says the same in SQL.
   */
  static lastMonthCovered(award: AwardMonths): YearMonth | null {
    if (award.status !== 'revoked' || award.revokedInMonth === null) return award.lastMonth;
    const kept =
      compareMonths(award.revokedInMonth, award.firstMonth) < 0
        ? null
        : compareMonths(award.revokedInMonth, award.lastMonth) > 0
          ? award.lastMonth
          : award.revokedInMonth;
    return latest(kept, award.lastPaidMonth);
  }

  /** The latest month any of a student's awards (in one programme) covers, or null. */
  static coveredThrough(awards: readonly AwardMonths[]): YearMonth | null {
    let latest: YearMonth | null = null;
    for (const award of awards) {
      const last = this.lastMonthCovered(award);
      if (last !== null && (latest === null || compareMonths(last, latest) > 0)) latest = last;
    }
    return latest;
  }

  static commitmentOf(monthlyStipend: Xof, firstMonth: YearMonth, lastMonth: YearMonth): Xof {
    return assertXof(monthlyStipend * monthsInclusive(firstMonth, lastMonth));
  }

  /**
   * How many awards can be made now, each starting when a new award would start for a student whose
   * earlier awards cover months through `coveredThrough` (null: a student without one).
   */
  static available(
    terms: ProgrammeTerms,
    commitments: ProgrammeCommitments,
    currentMonth: YearMonth,
    coveredThrough: YearMonth | null = null,
  ): Capacity {
    const budgetLeft = Math.max(0, terms.budget - commitments.committedAmount);
    const placesLeft =
      terms.maxAwards === null ? null : Math.max(0, terms.maxAwards - commitments.awardsHeld);
    const startMonth = this.startMonthOfNewAward(terms, currentMonth, coveredThrough);
    if (startMonth === null) {
      const reason =
        this.startMonthOfNewAward(terms, currentMonth) === null
          ? 'programme_ended'
          : 'months_already_covered';
      return { count: 0, startMonth, costPerAward: 0, placesLeft, budgetLeft, reason };
    }
    const costPerAward = this.commitmentOf(terms.monthlyStipend, startMonth, terms.lastMonth);
    const affordable = Math.floor(budgetLeft / costPerAward);
    const count = placesLeft === null ? affordable : Math.min(placesLeft, affordable);
    const reason: NoCapacityReason | null =
      count > 0 ? null : placesLeft === 0 ? 'no_places_left' : 'budget_exhausted';
    return { count, startMonth, costPerAward, placesLeft, budgetLeft, reason };
  }

  /**
   * The awards a round makes, serving `candidates` in their (ranking) order: each starts after the
   * months the candidate's earlier awards cover and commits the stipend from there to the end. The
   * round stops at the first candidate the places or the money left cannot serve, so no one is
   * served before someone ranked higher; a candidate with no month left to cover is passed over.
   */
  static planGrants(
    terms: ProgrammeTerms,
    commitments: ProgrammeCommitments,
    currentMonth: YearMonth,
    candidates: readonly GrantCandidate[],
  ): PlannedGrant[] {
    const planned: PlannedGrant[] = [];
    let placesLeft =
      terms.maxAwards === null ? Infinity : Math.max(0, terms.maxAwards - commitments.awardsHeld);
    let budgetLeft = Math.max(0, terms.budget - commitments.committedAmount);
    for (let index = 0; index < candidates.length && placesLeft > 0; index++) {
      const startMonth = this.startMonthOfNewAward(terms, currentMonth, candidates[index].coveredThrough);
      if (startMonth === null) continue;
      const cost = this.commitmentOf(terms.monthlyStipend, startMonth, terms.lastMonth);
      if (cost > budgetLeft) break;
      planned.push({ index, startMonth, cost });
      placesLeft -= 1;
      budgetLeft -= cost;
    }
    return planned;
  }

  /**
   * What a revoked award still commits: its months from its first through the last it covers (the
   * month of revocation, or the last month paid when that is later).
   */
  static commitmentOfRevoked(award: AwardTerms): Xof {
    const through = this.lastMonthCovered({ ...award, status: 'revoked' });
    return through === null ? 0 : this.commitmentOf(award.monthlyStipend, award.firstMonth, through);
  }

  /** What an award commits once revoked in `revokedInMonth`. */
  static commitmentAfterRevocation(
    award: Omit<AwardTerms, 'status' | 'revokedInMonth'>,
    revokedInMonth: YearMonth,
  ): Xof {
    return this.commitmentOfRevoked({ ...award, status: 'revoked', revokedInMonth });
  }

  /**
   * An award once payments has paid it for `month` (a month of the award): the latest month paid,
   * and what it commits. A live award's commitment already counts every month; a revoked one grows
   * when the month lies beyond what it kept (a batch approved before the revocation reached payments):
   * the money is out, so the budget must count it.
   */
  static afterPayout(
    award: AwardTerms & { committedAmount: Xof },
    month: YearMonth,
  ): { lastPaidMonth: YearMonth; committedAmount: Xof } {
    const lastPaidMonth = latest(award.lastPaidMonth, month)!;
    if (award.status !== 'revoked') return { lastPaidMonth, committedAmount: award.committedAmount };
    const committed = this.commitmentOfRevoked({ ...award, lastPaidMonth });
    return { lastPaidMonth, committedAmount: Math.max(committed, award.committedAmount) };
  }

  /** Why an eligible, enrolled student without an award has none, given their capacity (`available`). */
  static waitingReason(capacity: Capacity, reevaluationRunning: boolean): string {
    // Final whatever a re-evaluation decides: no month is left to pay this student.
    if (capacity.reason === 'months_already_covered')
      return `no award: ${this.describeNoCapacity(capacity.reason)}`;
    if (reevaluationRunning)
      return 'a re-evaluation of the programme is running; awards are made, in ranking order, when it ends';
    return capacity.reason
      ? `no award yet: ${this.describeNoCapacity(capacity.reason)}`
      : 'no award yet: waiting for the next award round';
  }

  static describeNoCapacity(reason: NoCapacityReason): string {
    switch (reason) {
      case 'programme_ended':
        return "the programme's last month has passed";
      case 'no_places_left':
        return 'every place of the programme is taken';
      case 'budget_exhausted':
        return "the programme's remaining budget does not cover the stipend for the remaining months";
      case 'months_already_covered':
        return "an earlier award of this student in the programme already covers every month up to the programme's last month, and a month is paid only once";
    }
  }
}

function latest(a: YearMonth | null, b: YearMonth | null): YearMonth | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareMonths(a, b) >= 0 ? a : b;
}
