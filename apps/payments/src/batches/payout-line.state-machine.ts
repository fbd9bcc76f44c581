import { AppError } from '@scholarpay/platform';

export const LineStatuses = ['PENDING', 'SUBMITTED', 'UNKNOWN', 'PAID', 'FAILED', 'RELEASED'] as const;
export type LineStatus = (typeof LineStatuses)[number];

/** A line is final once its money question is settled: paid, failed, or released unsent. */
export const finalLineStatuses: readonly LineStatus[] = ['PAID', 'FAILED', 'RELEASED'];
/** Lines whose payout is still in progress in a disbursing batch. */
export const openLineStatuses: readonly LineStatus[] = ['PENDING', 'SUBMITTED', 'UNKNOWN'];

/**
 * The one table of allowed line transitions (a status may also stay where it is: a re-check of a
 * SUBMITTED line that is still pending, or a re-send of an UNKNOWN line under the same reference).
 *
 * - PENDING → SUBMITTED: the provider accepted the cash-in (202, or 409 with a pending transaction).
 * - PENDING → UNKNOWN: timeout, 5xx or a broken connection: the cash-in may or may not exist.
 * - PENDING → PAID | FAILED: the provider's first answer already carried a final transaction (a
 *   duplicate after a crash), or it refused the request outright (a definitive 4xx: nothing was sent).
 * - SUBMITTED → UNKNOWN: a status query for an accepted reference answered 404 (the provider lost it).
 * - SUBMITTED | UNKNOWN → PAID | FAILED: a status query confirmed the outcome.
 * - UNKNOWN → SUBMITTED: a status query found the cash-in still pending.
 * - PENDING → RELEASED: the batch was cancelled or closed before anything was sent.
 */
export const lineTransitions: Readonly<Record<LineStatus, readonly LineStatus[]>> = {
  PENDING: ['SUBMITTED', 'UNKNOWN', 'PAID', 'FAILED', 'RELEASED'],
  SUBMITTED: ['UNKNOWN', 'PAID', 'FAILED'],
  UNKNOWN: ['SUBMITTED', 'PAID', 'FAILED'],
  PAID: [],
  FAILED: [],
  RELEASED: [],
};

export function isFinalLineStatus(status: LineStatus): boolean {
  return finalLineStatuses.includes(status);
}

export function canMoveLine(from: LineStatus, to: LineStatus): boolean {
  if (from === to) return !isFinalLineStatus(from);
  return lineTransitions[from].includes(to);
}

/** The statuses a line may be in for `to` to be legal: used as the guard of a conditional UPDATE. */
export function predecessorsOf(to: LineStatus): LineStatus[] {
  return LineStatuses.filter((from) => canMoveLine(from, to));
}

export function assertLineTransition(from: LineStatus, to: LineStatus): void {
  if (!canMoveLine(from, to)) {
    throw AppError.conflict('PAYOUT_LINE.ILLEGAL_TRANSITION', `a payout line cannot move from ${from} to ${to}`, { from, to });
  }
}
