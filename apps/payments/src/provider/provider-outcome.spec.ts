import {
  classifyCashinAnswer,
  classifyLookupAnswer,
  classifySmsAnswer,
  classifySmsBatchAnswer,
  HttpAnswer,
  readTransaction,
  retryAfterMs,
} from './provider-outcome';

const transaction = {
  transactionId: 'MP123',
  referenceId: '3f2c4d9e-2b7a-4c1e-9d35-8a7b6c5d4e3f',
  status: 'PENDING',
  reasonCode: null,
  reason: null,
  customer: { idType: 'MSISDN', id: '+22376123456' },
  amount: { value: 25000, unit: 'XOF' },
  reference: 'SCHOLARPAY-2015-03-3f2c4d9e',
  description: 'Bourse',
  createdAt: '2015-03-01T10:00:00.000Z',
  completedAt: null,
};

const answer = (status: number, body?: unknown, headers: HttpAnswer['headers'] = {}): HttpAnswer => ({ status, body, headers });

describe('classifyCashinAnswer', () => {
  it('202 with a transaction: accepted', () => {
    expect(classifyCashinAnswer(answer(202, transaction))).toEqual({ kind: 'accepted', transaction: expect.objectContaining({ transactionId: 'MP123', status: 'PENDING' }) });
  });

  it('200 replay of the original: accepted with its current status', () => {
    const outcome = classifyCashinAnswer(answer(200, { ...transaction, status: 'SUCCESS' }));
    expect(outcome).toMatchObject({ kind: 'accepted', transaction: { status: 'SUCCESS' } });
  });

  it('409 RESOURCE_ALREADY_EXIST carrying the original: duplicate, with that transaction', () => {
    const outcome = classifyCashinAnswer(answer(409, { code: 'RESOURCE_ALREADY_EXIST', message: 'exists', transaction: { ...transaction, status: 'FAILED', reasonCode: 'PAYEE_NOT_FOUND' } }));
    expect(outcome).toMatchObject({ kind: 'duplicate', transaction: { status: 'FAILED', reasonCode: 'PAYEE_NOT_FOUND' } });
  });

  it('409 without the original is not a rejection: the reference exists, so the outcome is unknown', () => {
    expect(classifyCashinAnswer(answer(409, { code: 'RESOURCE_ALREADY_EXIST' }))).toMatchObject({ kind: 'ambiguous', httpStatus: 409 });
  });

  it('400 INVALID_REQUEST: rejected definitively, with the code', () => {
    expect(classifyCashinAnswer(answer(400, { code: 'INVALID_REQUEST', message: 'customer.id is not an MSISDN' }))).toEqual({
      kind: 'rejected',
      httpStatus: 400,
      code: 'INVALID_REQUEST',
      message: 'customer.id is not an MSISDN',
    });
  });

  it('401 (token refused even after a refresh) and 403: not processed, never a failure of the payout', () => {
    expect(classifyCashinAnswer(answer(401, { code: 42, message: 'expired' }))).toMatchObject({ kind: 'not_processed', code: '42' });
    expect(classifyCashinAnswer(answer(403, { code: 'FORBIDDEN' }))).toMatchObject({ kind: 'not_processed' });
  });

  it('429: rate limited, honouring Retry-After', () => {
    expect(classifyCashinAnswer(answer(429, { code: 'TOO_MANY_REQUESTS' }, { 'retry-after': '3' }))).toEqual({ kind: 'rate_limited', retryAfterMs: 3000 });
  });

  it.each([500, 502, 503, 504])('%s: ambiguous (the cash-in may exist)', (status) => {
    expect(classifyCashinAnswer(answer(status, { code: 'INTERNAL_ERROR' }))).toMatchObject({ kind: 'ambiguous', httpStatus: status });
  });

  it('408 and 425: ambiguous', () => {
    expect(classifyCashinAnswer(answer(408))).toMatchObject({ kind: 'ambiguous' });
    expect(classifyCashinAnswer(answer(425))).toMatchObject({ kind: 'ambiguous' });
  });

  it('timeouts and broken connections: ambiguous', () => {
    expect(classifyCashinAnswer({ kind: 'timeout' })).toEqual({ kind: 'ambiguous', reason: 'timed out' });
    expect(classifyCashinAnswer({ kind: 'network', code: 'ECONNRESET' })).toEqual({ kind: 'ambiguous', reason: 'network error ECONNRESET' });
  });

  it('a 2xx whose body is not a transaction: ambiguous, not accepted', () => {
    expect(classifyCashinAnswer(answer(202, { ok: true }))).toMatchObject({ kind: 'ambiguous', httpStatus: 202 });
    expect(classifyCashinAnswer(answer(202, undefined))).toMatchObject({ kind: 'ambiguous' });
  });
});

describe('classifyLookupAnswer', () => {
  const other = '9d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a';
  const missing = '0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d';

  it('gives each reference its own outcome, whatever the order of the answer', () => {
    const outcomes = classifyLookupAnswer(
      answer(200, { items: [{ referenceId: other, transaction: null }, { referenceId: transaction.referenceId.toUpperCase(), transaction: { ...transaction, status: 'SUCCESS' } }] }),
      [transaction.referenceId, other],
    );
    expect(outcomes).toEqual([{ kind: 'found', transaction: expect.objectContaining({ transactionId: 'MP123', status: 'SUCCESS' }) }, { kind: 'not_found' }]);
  });

  it('a reference left out, or answered with a garbled or foreign transaction, is unavailable (asked again later)', () => {
    const outcomes = classifyLookupAnswer(
      answer(200, { items: [{ referenceId: other, transaction: { ...transaction } }, { referenceId: transaction.referenceId, transaction: { status: 'SUCCESS' } }] }),
      [transaction.referenceId, other, missing],
    );
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['unavailable', 'unavailable', 'unavailable']);
    expect(classifyLookupAnswer(answer(200, 'not json'), [missing])).toEqual([{ kind: 'unavailable', reason: 'the lookup answer left this reference out', httpStatus: 200 }]);
  });

  it('an answer to the whole request stands for every reference', () => {
    expect(classifyLookupAnswer(answer(429, { code: 'TOO_MANY_REQUESTS' }, { 'retry-after': '2' }), [other, missing])).toEqual([
      { kind: 'rate_limited', retryAfterMs: 2000 },
      { kind: 'rate_limited', retryAfterMs: 2000 },
    ]);
    expect(classifyLookupAnswer(answer(503, { code: 'SERVICE_UNAVAILABLE' }), [other])).toEqual([{ kind: 'unavailable', reason: '503 SERVICE_UNAVAILABLE', httpStatus: 503 }]);
    // 401 after the client's one token refresh: nothing we can trust, ask again later.
    expect(classifyLookupAnswer(answer(401, { code: 41 }), [other])).toEqual([{ kind: 'unavailable', reason: '401 41', httpStatus: 401 }]);
    // A 200 that is not a lookup answer at all.
    expect(classifyLookupAnswer(answer(200, { ...transaction }), [transaction.referenceId])).toMatchObject([{ kind: 'unavailable', httpStatus: 200 }]);
    // A 404 here is a missing route, not a missing cash-in: never read as "the provider has nothing".
    expect(classifyLookupAnswer(answer(404, { code: 'RESOURCE_NOT_FOUND' }), [other])).toEqual([{ kind: 'unavailable', reason: '404 RESOURCE_NOT_FOUND', httpStatus: 404 }]);
    expect(classifyLookupAnswer({ kind: 'timeout' }, [other, missing])).toEqual([
      { kind: 'unavailable', reason: 'timed out' },
      { kind: 'unavailable', reason: 'timed out' },
    ]);
  });
});

describe('classifySmsAnswer and classifySmsBatchAnswer', () => {
  it('one SMS: sent (201, or 200 with the original), rate limited, refused, or unknown', () => {
    expect(classifySmsAnswer(answer(201, { smsId: 's1' }))).toEqual({ kind: 'sent', smsId: 's1' });
    expect(classifySmsAnswer(answer(200, { smsId: 's1' }))).toEqual({ kind: 'sent', smsId: 's1' });
    expect(classifySmsAnswer(answer(429, {}, { 'retry-after': '1' }))).toEqual({ kind: 'rate_limited', retryAfterMs: 1000 });
    expect(classifySmsAnswer(answer(400, { code: 'INVALID_REQUEST' }))).toEqual({ kind: 'rejected', httpStatus: 400, code: 'INVALID_REQUEST' });
    expect(classifySmsAnswer(answer(401, { code: 41 }))).toEqual({ kind: 'failed', reason: '401 41' });
    expect(classifySmsAnswer(answer(500, { code: 'INTERNAL_ERROR' }))).toEqual({ kind: 'failed', reason: '500 INTERNAL_ERROR' });
    expect(classifySmsAnswer({ kind: 'network', code: 'ECONNRESET' })).toEqual({ kind: 'failed', reason: 'network error ECONNRESET' });
  });

  it('a batch: each message by its reference; one left out is unknown (its reference makes a retry safe)', () => {
    const body = { items: [{ reference: 'b', outcome: 'ALREADY_SENT', sms: { smsId: 's2' } }, { reference: 'a', outcome: 'SENT', sms: { smsId: 's1' } }] };
    expect(classifySmsBatchAnswer(answer(200, body), ['a', 'b', 'c'])).toEqual([
      { kind: 'sent', smsId: 's1' },
      { kind: 'sent', smsId: 's2' },
      { kind: 'failed', reason: 'the batch answer left this message out' },
    ]);
  });

  it('a batch item the provider refuses as a conflict (its reference used for another message) is rejected, never retried', () => {
    const body = { items: [{ reference: 'a', outcome: 'CONFLICT', error: { code: 'RESOURCE_ALREADY_EXIST', message: 'nothing was sent' } }] };
    expect(classifySmsBatchAnswer(answer(200, body), ['a'])).toEqual([{ kind: 'rejected', httpStatus: 409, code: 'RESOURCE_ALREADY_EXIST' }]);
  });

  it('a batch refused as a whole is sent one by one; other whole-request answers stand for every message', () => {
    expect(classifySmsBatchAnswer(answer(400, { code: 'INVALID_REQUEST' }), ['a', 'b'])).toBe('one_by_one');
    expect(classifySmsBatchAnswer(answer(429, {}, { 'retry-after': '4' }), ['a', 'b'])).toEqual([
      { kind: 'rate_limited', retryAfterMs: 4000 },
      { kind: 'rate_limited', retryAfterMs: 4000 },
    ]);
    expect(classifySmsBatchAnswer({ kind: 'timeout' }, ['a'])).toEqual([{ kind: 'failed', reason: 'timed out' }]);
    expect(classifySmsBatchAnswer(answer(502, {}), ['a'])).toEqual([{ kind: 'failed', reason: '502 UNKNOWN' }]);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds, fractions and HTTP dates, and falls back to one second', () => {
    expect(retryAfterMs({ 'retry-after': '2' })).toBe(2000);
    expect(retryAfterMs({ 'retry-after': '0.25' })).toBe(250);
    expect(retryAfterMs({ 'retry-after': new Date(10_000).toUTCString() }, 5_000)).toBe(5000);
    expect(retryAfterMs({})).toBe(1000);
    expect(retryAfterMs({ 'retry-after': 'soon' })).toBe(1000);
  });

  it('is bounded to five minutes', () => {
    expect(retryAfterMs({ 'retry-after': '86400' })).toBe(300000);
  });
});

describe('readTransaction', () => {
  it('refuses bodies that are not transactions (missing id, unknown status, fractional amount)', () => {
    expect(readTransaction({ ...transaction, transactionId: '' })).toBeNull();
    expect(readTransaction({ ...transaction, status: 'DONE' })).toBeNull();
    expect(readTransaction({ ...transaction, amount: { value: 10.5, unit: 'XOF' } })).toBeNull();
    expect(readTransaction('text')).toBeNull();
  });
});
