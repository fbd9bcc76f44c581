import type { LineStatus } from '../batches/payout-line.state-machine';

/**
 * The double-entry ledger's chart of accounts and posting rules. Every movement is a posting of
 * two entries, a debit (positive) and a credit (negative) of the same amount, so each posting
 * sums to zero and so does the whole ledger. All accounts but `programme_funding` say where a
 * programme's money is:
 *
 *   programme_funding:<programme>  credit side: the budget the programme was given
 *   programme_budget:<programme>   not yet committed to anyone (the remaining budget)
 *   student_payable:<student>      committed to a student by an approved batch, not yet sent
 *   provider_clearing              sent to the provider, outcome not final
 *   provider_settled               credited to students' wallets by the provider
 *
 * so, per programme: funded = remaining + committed + in flight + paid.
 */
export const AccountTypes = ['programme_funding', 'programme_budget', 'student_payable', 'provider_clearing', 'provider_settled'] as const;
export type AccountType = (typeof AccountTypes)[number];

export type PostingKind = 'funding' | 'committed' | 'sent' | 'settled' | 'reversed';

export interface AccountRef {
  account: string;
  type: AccountType;
}

export interface PostingSpec {
  /** Unique: the same posting asked for twice is recorded once. */
  key: string;
  kind: PostingKind;
  /** Money moves from `from` (credited) to `to` (debited). */
  from: AccountRef;
  to: AccountRef;
  amount: number;
  programmeId: string;
  studentId: string | null;
  batchId: string | null;
  lineId: string | null;
  description: string;
}

export const accounts = {
  funding: (programmeId: string): AccountRef => ({ account: `programme_funding:${programmeId}`, type: 'programme_funding' }),
  budget: (programmeId: string): AccountRef => ({ account: `programme_budget:${programmeId}`, type: 'programme_budget' }),
  payable: (studentId: string): AccountRef => ({ account: `student_payable:${studentId}`, type: 'student_payable' }),
  clearing: (): AccountRef => ({ account: 'provider_clearing', type: 'provider_clearing' }),
  settled: (): AccountRef => ({ account: 'provider_settled', type: 'provider_settled' }),
};

export interface LedgerLine {
  id: string;
  batchId: string;
  programmeId: string;
  studentId: string;
  amount: number;
  month: string;
}

export function postingKey(lineId: string, kind: Exclude<PostingKind, 'funding'>): string {
  return `line:${lineId}:${kind}`;
}

function linePosting(line: LedgerLine, kind: Exclude<PostingKind, 'funding'>, from: AccountRef, to: AccountRef, description: string): PostingSpec {
  return {
    key: postingKey(line.id, kind),
    kind,
    from,
    to,
    amount: line.amount,
    programmeId: line.programmeId,
    studentId: line.studentId,
    batchId: line.batchId,
    lineId: line.id,
    description: `${description} (${line.month})`,
  };
}

/** Approval commits the programme's budget to the student. */
export function commitPosting(line: LedgerLine): PostingSpec {
  return linePosting(line, 'committed', accounts.budget(line.programmeId), accounts.payable(line.studentId), 'stipend committed by batch approval');
}

/**
 * The postings a line's move from `from` to `to` calls for. `providerHasIt` says whether the
 * provider holds a cash-in for the line (it answered with a transaction, or the line was already
 * past PENDING); a line refused outright by the provider never reached the clearing account.
 * Every key is idempotent, so asking again (a re-run after a crash) records nothing new.
 */
export function postingsForLineMove(line: LedgerLine, from: LineStatus, to: LineStatus, providerHasIt: boolean): PostingSpec[] {
  const sent = linePosting(line, 'sent', accounts.payable(line.studentId), accounts.clearing(), 'stipend sent to the provider');
  const reachedProvider = from !== 'PENDING' || providerHasIt;
  switch (to) {
    case 'SUBMITTED':
    case 'UNKNOWN':
      return from === 'PENDING' ? [sent] : [];
    case 'PAID':
      return [sent, linePosting(line, 'settled', accounts.clearing(), accounts.settled(), 'stipend credited to the wallet')];
    case 'FAILED':
      return reachedProvider
        ? [sent, linePosting(line, 'reversed', accounts.clearing(), accounts.budget(line.programmeId), 'failed payout returned to the budget')]
        : [linePosting(line, 'reversed', accounts.payable(line.studentId), accounts.budget(line.programmeId), 'refused payout returned to the budget')];
    case 'PENDING':
    case 'RELEASED':
      return [];
  }
}

/**
 * A programme's budget as the ledger knows it follows its latest definition: the difference
 * between the new budget and what was funded so far is posted (negative: taken back).
 */
export function fundingPosting(programmeId: string, version: number, newBudget: number, fundedSoFar: number): PostingSpec | null {
  const delta = newBudget - fundedSoFar;
  if (delta === 0) return null;
  const funding = accounts.funding(programmeId);
  const budget = accounts.budget(programmeId);
  return {
    key: `programme:${programmeId}:funding:v${version}`,
    kind: 'funding',
    from: delta > 0 ? funding : budget,
    to: delta > 0 ? budget : funding,
    amount: Math.abs(delta),
    programmeId,
    studentId: null,
    batchId: null,
    lineId: null,
    description: delta > 0 ? `programme budget funded (version ${version})` : `programme budget reduced (version ${version})`,
  };
}

/** Balances per programme, from the sum of entries per account type (debit positive). */
export interface ProgrammeBalance {
  funded: number;
  remaining: number;
  committed: number;
  inFlight: number;
  paid: number;
}

export function programmeBalanceFrom(sums: Partial<Record<AccountType, number>>): ProgrammeBalance & { balanced: boolean } {
  const funded = -(sums.programme_funding ?? 0);
  const remaining = sums.programme_budget ?? 0;
  const committed = sums.student_payable ?? 0;
  const inFlight = sums.provider_clearing ?? 0;
  const paid = sums.provider_settled ?? 0;
  return { funded, remaining, committed, inFlight, paid, balanced: funded === remaining + committed + inFlight + paid };
}

/** Where a line's money must be, per the ledger, given its status (net of all its postings). */
export interface LinePosition {
  budget: number;
  payable: number;
  clearing: number;
  settled: number;
}

/**
 * The net ledger position a line's status implies. A line of a batch that was never approved
 * has no postings; an approved line's money leaves the budget and sits where its status says;
 * a failed line's money is back in the budget.
 */
export function expectedLinePosition(status: LineStatus, amount: number, committed: boolean): LinePosition {
  const zero = { budget: 0, payable: 0, clearing: 0, settled: 0 };
  if (!committed) return zero;
  switch (status) {
    case 'PENDING':
      return { ...zero, budget: -amount, payable: amount };
    case 'SUBMITTED':
    case 'UNKNOWN':
      return { ...zero, budget: -amount, clearing: amount };
    case 'PAID':
      return { ...zero, budget: -amount, settled: amount };
    case 'FAILED':
    case 'RELEASED':
      return zero;
  }
}
