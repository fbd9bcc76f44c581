import type { LineStatus } from '../batches/payout-line.state-machine';
import type { CashinOutcome, ProviderTransaction, StatusOutcome } from '../provider/provider-outcome';

/**
 * What to do next with one payout line, and what a provider answer means for it. Pure functions:
 * the disbursement worker performs the calls and writes; every rule about exactly-once lives here.
 *
 * The invariants:
 * - A line is only ever sent under its own id as the provider reference, so a repeated send can
 *   never credit twice (the provider answers with the original transaction).
 * - After an ambiguous answer (timeout, 5xx, broken connection) the line is UNKNOWN and the next
 *   thing that happens to it is a status query; it is sent again (same reference) only when the
 *   provider says it has no such cash-in and the last send is older than a safe delay.
 * - The line never fails on our own initiative: only the provider's answer makes it FAILED.
 */

export interface LineSnapshot {
  id: string;
  status: LineStatus;
  amount: number;
  attempts: number;
  checks: number;
  lastSentAt: Date | null;
  smsSentAt: Date | null;
  smsGaveUp: boolean;
}

export interface DisbursementTimings {
  /** A SUBMITTED line whose callback has not come is queried after this long (then less and less often). */
  statusCheckAfterMs: number;
  /** First re-check of an UNKNOWN line; doubles with each check up to `maxRecheckDelayMs`. */
  unknownRecheckMs: number;
  maxRecheckDelayMs: number;
  /** After a 404 for an UNKNOWN line, its last send must be at least this old before it is sent again. */
  resendDelayMs: number;
}

export type LineStep = 'send' | 'check' | 'sms' | 'none';

export function nextStep(line: LineSnapshot): LineStep {
  switch (line.status) {
    case 'PENDING':
      return 'send';
    case 'SUBMITTED':
    case 'UNKNOWN':
      return 'check';
    case 'PAID':
      return line.smsSentAt || line.smsGaveUp ? 'none' : 'sms';
    case 'FAILED':
    case 'RELEASED':
      return 'none';
  }
}

export interface LineUpdate {
  to: LineStatus;
  transaction?: ProviderTransaction;
  reasonCode?: string;
  reason?: string;
  /** This decision followed a send: count the attempt and stamp the send time (whether or not the provider took it). */
  attempted?: boolean;
  /** This decision followed a status query. */
  checked?: boolean;
  /** When the poller should look at the line again if nothing else does; null: nothing left to do. */
  nextCheckAt: Date | null;
}

export type Decision =
  /** Record the update; the job is done (or goes on with the SMS). */
  | { kind: 'update'; update: LineUpdate; then?: 'sms' }
  /** Record the update and run the job again after `delayMs` (a callback may bring it forward). */
  | { kind: 'update_and_recheck'; update: LineUpdate; delayMs: number }
  /** Send again now, under the same reference. */
  | { kind: 'resend' }
  /** Nothing was processed: pause the whole queue this long and try again. */
  | { kind: 'rate_limited'; retryAfterMs: number }
  /** Nothing was processed (credentials refused): retry the job with backoff. */
  | { kind: 'retry'; reason: string };

const finalStatusOf = { SUCCESS: 'PAID', FAILED: 'FAILED', PENDING: 'SUBMITTED' } as const;

export function decideAfterSend(line: LineSnapshot, outcome: CashinOutcome, now: Date, timings: DisbursementTimings): Decision {
  switch (outcome.kind) {
    case 'accepted':
    case 'duplicate': {
      if (outcome.transaction.referenceId !== line.id) {
        return unknownAfterSend(line, now, timings, `the provider answered for reference ${outcome.transaction.referenceId}`);
      }
      return fromTransaction(line, outcome.transaction, now, timings, { attempted: true });
    }
    case 'rejected':
      // The provider refused the request itself: no cash-in exists under this reference. If an
      // earlier send was ambiguous, the provider has since said 404 for it (that is why we resent).
      return {
        kind: 'update',
        update: {
          to: 'FAILED',
          reasonCode: 'PROVIDER_REJECTED_REQUEST',
          reason: `the provider refused the cash-in: ${outcome.httpStatus} ${outcome.code}: ${outcome.message}`.slice(0, 500),
          attempted: true,
          nextCheckAt: null,
        },
      };
    case 'not_processed':
      return { kind: 'retry', reason: `the provider did not process the request: ${outcome.httpStatus} ${outcome.code}` };
    case 'rate_limited':
      return { kind: 'rate_limited', retryAfterMs: outcome.retryAfterMs };
    case 'ambiguous':
      return unknownAfterSend(line, now, timings, outcome.reason);
  }
}

export function decideAfterCheck(line: LineSnapshot, outcome: StatusOutcome, now: Date, timings: DisbursementTimings): Decision {
  switch (outcome.kind) {
    case 'found':
      if (outcome.transaction.referenceId !== line.id) {
        return recheckLater(line, now, timings, `the provider answered for reference ${outcome.transaction.referenceId}`);
      }
      return fromTransaction(line, outcome.transaction, now, timings, { checked: true });
    case 'not_found': {
      const sentAgo = line.lastSentAt ? now.getTime() - line.lastSentAt.getTime() : Number.POSITIVE_INFINITY;
      if (sentAgo >= timings.resendDelayMs) return { kind: 'resend' };
      // Too soon: the first request may still be on its way into the provider. Ask again once it
      // is safely old; the line is (or becomes) UNKNOWN meanwhile.
      const delayMs = Math.max(1, timings.resendDelayMs - sentAgo);
      return {
        kind: 'update_and_recheck',
        update: { to: 'UNKNOWN', checked: true, reason: 'the provider does not know the reference yet', nextCheckAt: new Date(now.getTime() + delayMs) },
        delayMs,
      };
    }
    case 'rate_limited':
      return { kind: 'rate_limited', retryAfterMs: outcome.retryAfterMs };
    case 'unavailable':
      return recheckLater(line, now, timings, outcome.reason);
  }
}

function fromTransaction(
  line: LineSnapshot,
  transaction: ProviderTransaction,
  now: Date,
  timings: DisbursementTimings,
  flags: { attempted?: boolean; checked?: boolean },
): Decision {
  const to = finalStatusOf[transaction.status];
  if (to === 'SUBMITTED') {
    // The line's job waits for the outcome: a callback brings it forward, else it asks on its own.
    const delayMs = pendingCheckDelay(line.status === 'SUBMITTED' ? line.checks : 0, timings);
    return {
      kind: 'update_and_recheck',
      update: { to, transaction, ...flags, nextCheckAt: new Date(now.getTime() + delayMs) },
      delayMs,
    };
  }
  if (to === 'PAID') {
    // The SMS is the next thing to do for this line; the poller retries it if this job dies.
    return { kind: 'update', update: { to, transaction, ...flags, nextCheckAt: now }, then: 'sms' };
  }
  return {
    kind: 'update',
    update: {
      to,
      transaction,
      ...flags,
      reasonCode: transaction.reasonCode ?? 'UNSPECIFIED',
      reason: transaction.reason ?? transaction.reasonCode ?? 'the provider reported the cash-in as failed',
      nextCheckAt: null,
    },
  };
}

function unknownAfterSend(line: LineSnapshot, now: Date, timings: DisbursementTimings, reason: string): Decision {
  const delayMs = recheckDelay(line.checks, timings);
  return {
    kind: 'update_and_recheck',
    update: { to: 'UNKNOWN', attempted: true, reason: `outcome unknown: ${reason}`, nextCheckAt: new Date(now.getTime() + delayMs) },
    delayMs,
  };
}

function recheckLater(line: LineSnapshot, now: Date, timings: DisbursementTimings, reason: string): Decision {
  const delayMs = recheckDelay(line.checks, timings);
  return {
    kind: 'update_and_recheck',
    update: { to: line.status, checked: true, reason: `status query failed: ${reason}`, nextCheckAt: new Date(now.getTime() + delayMs) },
    delayMs,
  };
}

/** How long a pending cash-in waits before the next status query: statusCheckAfterMs, doubling up to the ceiling. */
export function pendingCheckDelay(checksSoFar: number, timings: DisbursementTimings): number {
  const exponent = Math.min(Math.max(0, checksSoFar), 20);
  return Math.min(Math.max(timings.maxRecheckDelayMs, timings.statusCheckAfterMs), timings.statusCheckAfterMs * 2 ** exponent);
}

export function recheckDelay(checksSoFar: number, timings: DisbursementTimings): number {
  const exponent = Math.min(Math.max(0, checksSoFar), 20);
  return Math.min(timings.maxRecheckDelayMs, timings.unknownRecheckMs * 2 ** exponent);
}
