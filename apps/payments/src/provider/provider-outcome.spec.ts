import { classifyCashinAnswer, classifyStatusAnswer, HttpAnswer, readTransaction, retryAfterMs } from './provider-outcome';

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

describe('classifyStatusAnswer', () => {
  it('200: found', () => {
    expect(classifyStatusAnswer(answer(200, { ...transaction, status: 'SUCCESS' }))).toMatchObject({ kind: 'found', transaction: { status: 'SUCCESS' } });
  });

  it('404 RESOURCE_NOT_FOUND: not found; any other 404 (a wrong path, a proxy) is not proof of absence', () => {
    expect(classifyStatusAnswer(answer(404, { code: 'RESOURCE_NOT_FOUND' }))).toEqual({ kind: 'not_found' });
    expect(classifyStatusAnswer(answer(404, '<html>'))).toMatchObject({ kind: 'unavailable', httpStatus: 404 });
  });

  it('429: rate limited; 5xx, 401 and timeouts: unavailable', () => {
    expect(classifyStatusAnswer(answer(429, {}, { 'retry-after': '1' }))).toEqual({ kind: 'rate_limited', retryAfterMs: 1000 });
    expect(classifyStatusAnswer(answer(503, { code: 'SERVICE_UNAVAILABLE' }))).toMatchObject({ kind: 'unavailable', httpStatus: 503 });
    expect(classifyStatusAnswer(answer(401, { code: 41 }))).toMatchObject({ kind: 'unavailable', httpStatus: 401 });
    expect(classifyStatusAnswer({ kind: 'timeout' })).toMatchObject({ kind: 'unavailable' });
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
