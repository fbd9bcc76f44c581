/**
 * What the mobile-money provider's answers mean for a payout. Pure: the client turns HTTP into an
 * `HttpAnswer` (or a transport failure) and these functions decide, so every case is unit-tested.
 */

export type ProviderTransactionStatus = 'PENDING' | 'SUCCESS' | 'FAILED';

export interface ProviderTransaction {
  transactionId: string;
  referenceId: string;
  status: ProviderTransactionStatus;
  reasonCode: string | null;
  reason: string | null;
  amount: { value: number; unit: string };
  customer?: { idType: string; id: string };
  completedAt?: string | null;
  createdAt?: string;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or undefined when the body was empty or not JSON. */
  body: unknown;
}

export type TransportFailure = { kind: 'timeout' } | { kind: 'network'; code: string };

/** The outcome of `POST /cashins`. */
export type CashinOutcome =
  /** The provider holds the cash-in (202, or a replay of the original answer). */
  | { kind: 'accepted'; transaction: ProviderTransaction }
  /** The reference was already used: the provider answers with the original transaction. */
  | { kind: 'duplicate'; transaction: ProviderTransaction }
  /** The provider refused the request itself; no cash-in exists, resending the same body cannot help. */
  | { kind: 'rejected'; httpStatus: number; code: string; message: string }
  /** The request was not processed (bad or expired credentials): nothing happened, try again later. */
  | { kind: 'not_processed'; httpStatus: number; code: string; message: string }
  /** Too many requests: nothing happened; wait this long. */
  | { kind: 'rate_limited'; retryAfterMs: number }
  /** Timeout, 5xx, broken connection or an unreadable success: the cash-in may or may not exist. */
  | { kind: 'ambiguous'; reason: string; httpStatus?: number };

/** The outcome of a status query for one reference (`GET /cashins/{referenceId}`, or its item in `POST /cashins/lookup`). */
export type StatusOutcome =
  | { kind: 'found'; transaction: ProviderTransaction }
  | { kind: 'not_found' }
  | { kind: 'rate_limited'; retryAfterMs: number }
  /** No answer we can trust (timeout, 5xx, 401 after a refresh, unreadable body): ask again later. */
  | { kind: 'unavailable'; reason: string; httpStatus?: number };

/** The outcome of sending one SMS (`POST /sms/outbound`, or its message in `POST /sms/outbound/batch`). */
export type SmsOutcome =
  | { kind: 'sent'; smsId: string }
  | { kind: 'rate_limited'; retryAfterMs: number }
  /** The provider refused the message itself: sending it again cannot help. */
  | { kind: 'rejected'; httpStatus: number; code: string }
  /** Maybe sent, maybe not (timeout, 5xx, unreadable answer): the same reference again cannot send it twice. */
  | { kind: 'failed'; reason: string };

export const DEFAULT_RETRY_AFTER_MS = 1000;
const MAX_RETRY_AFTER_MS = 5 * 60 * 1000;

export function classifyCashinAnswer(answer: HttpAnswer | TransportFailure): CashinOutcome {
  if (isTransportFailure(answer)) return { kind: 'ambiguous', reason: describeTransportFailure(answer) };
  const { status, body } = answer;
  if (status === 429) return { kind: 'rate_limited', retryAfterMs: retryAfterMs(answer.headers) };
  if (status >= 200 && status < 300) {
    const transaction = readTransaction(body);
    // A 2xx we cannot read tells us the provider probably has the cash-in, but not in what state.
    return transaction ? { kind: 'accepted', transaction } : { kind: 'ambiguous', reason: `unreadable ${status} answer`, httpStatus: status };
  }
  if (status === 409) {
    const transaction = readTransaction((body as { transaction?: unknown } | undefined)?.transaction);
    if (transaction) return { kind: 'duplicate', transaction };
    // A conflict without the original: the reference exists but we cannot see it; ask for its status.
    return { kind: 'ambiguous', reason: `409 ${errorCode(body)} without the original transaction`, httpStatus: 409 };
  }
  if (status === 401 || status === 403) {
    return { kind: 'not_processed', httpStatus: status, code: errorCode(body), message: errorMessage(body, status) };
  }
  // 408 (request timeout) and 425 (too early) say the request may not have been read: unknown.
  if (status === 408 || status === 425) return { kind: 'ambiguous', reason: `${status} ${errorCode(body)}`, httpStatus: status };
  if (status >= 400 && status < 500) {
    return { kind: 'rejected', httpStatus: status, code: errorCode(body), message: errorMessage(body, status) };
  }
  return { kind: 'ambiguous', reason: `${status} ${errorCode(body)}`, httpStatus: status };
}

/**
 * The outcome for each reference of `POST /cashins/lookup`, in the order of `referenceIds`: what
 * `GET /cashins/{referenceId}` would have said for it. An answer for the whole request (429, 5xx,
 * timeout) stands for each reference; a reference the answer leaves out or garbles is unavailable.
 */
export function classifyLookupAnswer(answer: HttpAnswer | TransportFailure, referenceIds: readonly string[]): StatusOutcome[] {
  if (isTransportFailure(answer) || answer.status !== 200) {
    const whole: StatusOutcome = isTransportFailure(answer)
      ? { kind: 'unavailable', reason: describeTransportFailure(answer) }
      : answer.status === 429
        ? { kind: 'rate_limited', retryAfterMs: retryAfterMs(answer.headers) }
        : { kind: 'unavailable', reason: `${answer.status} ${errorCode(answer.body)}`, httpStatus: answer.status };
    return referenceIds.map(() => whole);
  }
  const items = (answer.body as { items?: unknown } | undefined)?.items;
  const byReference = new Map<string, unknown>();
  if (Array.isArray(items)) {
    for (const item of items) {
      const referenceId = (item as { referenceId?: unknown } | null)?.referenceId;
      if (typeof referenceId === 'string') byReference.set(referenceId.toLowerCase(), item);
    }
  }
  return referenceIds.map((referenceId): StatusOutcome => {
    const item = byReference.get(referenceId.toLowerCase()) as { transaction?: unknown } | undefined;
    if (!item) return { kind: 'unavailable', reason: 'the lookup answer left this reference out', httpStatus: 200 };
    if (item.transaction === null) return { kind: 'not_found' };
    const transaction = readTransaction(item.transaction);
    return transaction && transaction.referenceId.toLowerCase() === referenceId.toLowerCase()
      ? { kind: 'found', transaction }
      : { kind: 'unavailable', reason: 'unreadable transaction in the lookup answer', httpStatus: 200 };
  });
}

/** The outcome of `POST /sms/outbound` (one message). */
export function classifySmsAnswer(answer: HttpAnswer | TransportFailure): SmsOutcome {
  if (isTransportFailure(answer)) return { kind: 'failed', reason: describeTransportFailure(answer) };
  const smsId = (answer.body as { smsId?: unknown } | undefined)?.smsId;
  if ((answer.status === 200 || answer.status === 201) && typeof smsId === 'string') return { kind: 'sent', smsId };
  if (answer.status === 429) return { kind: 'rate_limited', retryAfterMs: retryAfterMs(answer.headers) };
  if (isRefusal(answer.status)) return { kind: 'rejected', httpStatus: answer.status, code: errorCode(answer.body) };
  return { kind: 'failed', reason: `${answer.status} ${errorCode(answer.body)}` };
}

/**
 * The outcome for each message of `POST /sms/outbound/batch`, by reference, in the order of
 * `references`; or `one_by_one` when the provider refused the request as a whole (one message it
 * will not send refuses the batch): sending each alone then tells which message it was.
 */
export function classifySmsBatchAnswer(answer: HttpAnswer | TransportFailure, references: readonly string[]): SmsOutcome[] | 'one_by_one' {
  if (!isTransportFailure(answer) && isRefusal(answer.status)) return 'one_by_one';
  if (isTransportFailure(answer) || answer.status !== 200) {
    const whole = classifySmsAnswer(answer);
    return references.map(() => whole);
  }
  const items = (answer.body as { items?: unknown } | undefined)?.items;
  const byReference = new Map<string, SmsOutcome>();
  if (Array.isArray(items)) {
    for (const item of items) {
      const { reference, outcome, sms, error } = (item ?? {}) as { reference?: unknown; outcome?: unknown; sms?: { smsId?: unknown }; error?: unknown };
      if (typeof reference !== 'string') continue;
      if (typeof sms?.smsId === 'string') byReference.set(reference, { kind: 'sent', smsId: sms.smsId });
      // The reference was used for another number or text: sending it again will never succeed.
      else if (outcome === 'CONFLICT') byReference.set(reference, { kind: 'rejected', httpStatus: 409, code: errorCode(error) });
    }
  }
  return references.map((reference): SmsOutcome => byReference.get(reference) ?? { kind: 'failed', reason: 'the batch answer left this message out' });
}

/** A 4xx that says the request itself will never be accepted (not credentials, timing or rate). */
function isRefusal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 401 && status !== 408 && status !== 429;
}

/** Retry-After in seconds (or an HTTP date), bounded to something sane. */
export function retryAfterMs(headers: HttpAnswer['headers'], now = Date.now()): number {
  const raw = headers['retry-after'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return clamp(Math.ceil(seconds * 1000));
  const date = Date.parse(value);
  if (Number.isFinite(date)) return clamp(date - now);
  return DEFAULT_RETRY_AFTER_MS;
}

function clamp(ms: number): number {
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

export function isTransportFailure(answer: HttpAnswer | TransportFailure): answer is TransportFailure {
  return (answer as TransportFailure).kind === 'timeout' || (answer as TransportFailure).kind === 'network';
}

function describeTransportFailure(failure: TransportFailure): string {
  return failure.kind === 'timeout' ? 'timed out' : `network error ${failure.code}`;
}

/** The provider's `{ code }` error body; numeric OAuth codes become strings ("42"). */
export function errorCode(body: unknown): string {
  const code = (body as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : 'UNKNOWN';
}

function errorMessage(body: unknown, status: number): string {
  const message = (body as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' && message ? message.slice(0, 500) : `HTTP ${status}`;
}

const statuses: readonly string[] = ['PENDING', 'SUCCESS', 'FAILED'];

/** A Transaction as the contract describes it, or null when the body is not one. */
export function readTransaction(body: unknown): ProviderTransaction | null {
  if (!body || typeof body !== 'object') return null;
  const candidate = body as Record<string, unknown>;
  if (typeof candidate.transactionId !== 'string' || !candidate.transactionId) return null;
  if (typeof candidate.referenceId !== 'string') return null;
  if (typeof candidate.status !== 'string' || !statuses.includes(candidate.status)) return null;
  const amount = candidate.amount as { value?: unknown; unit?: unknown } | undefined;
  if (!amount || typeof amount.value !== 'number' || !Number.isSafeInteger(amount.value)) return null;
  return {
    transactionId: candidate.transactionId,
    referenceId: candidate.referenceId,
    status: candidate.status as ProviderTransactionStatus,
    reasonCode: typeof candidate.reasonCode === 'string' ? candidate.reasonCode : null,
    reason: typeof candidate.reason === 'string' ? candidate.reason : null,
    amount: { value: amount.value, unit: typeof amount.unit === 'string' ? amount.unit : 'XOF' },
    ...(candidate.customer && typeof candidate.customer === 'object' ? { customer: candidate.customer as ProviderTransaction['customer'] } : {}),
    completedAt: typeof candidate.completedAt === 'string' ? candidate.completedAt : null,
    ...(typeof candidate.createdAt === 'string' ? { createdAt: candidate.createdAt } : {}),
  };
}
