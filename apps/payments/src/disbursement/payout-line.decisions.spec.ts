import type { ProviderTransaction } from '../provider/provider-outcome';
import { decideAfterCheck, decideAfterSend, DisbursementTimings, LineSnapshot, nextStep, recheckDelay } from './payout-line.decisions';

const timings: DisbursementTimings = { statusCheckAfterMs: 60_000, unknownRecheckMs: 2_000, maxRecheckDelayMs: 300_000, resendDelayMs: 30_000 };
const now = new Date('2015-03-05T10:00:00Z');
const lineId = '3f2c4d9e-2b7a-4c1e-9d35-8a7b6c5d4e3f';

function line(overrides: Partial<LineSnapshot> = {}): LineSnapshot {
  return { id: lineId, status: 'PENDING', amount: 25000, attempts: 0, checks: 0, lastSentAt: null, smsSentAt: null, smsGaveUp: false, ...overrides };
}

function txn(status: ProviderTransaction['status'], overrides: Partial<ProviderTransaction> = {}): ProviderTransaction {
  return { transactionId: 'MP1', referenceId: lineId, status, reasonCode: null, reason: null, amount: { value: 25000, unit: 'XOF' }, ...overrides };
}

describe('nextStep', () => {
  it('sends a PENDING line, queries SUBMITTED and UNKNOWN ones, texts a PAID one once', () => {
    expect(nextStep(line())).toBe('send');
    expect(nextStep(line({ status: 'SUBMITTED' }))).toBe('check');
    expect(nextStep(line({ status: 'UNKNOWN' }))).toBe('check');
    expect(nextStep(line({ status: 'PAID' }))).toBe('sms');
    expect(nextStep(line({ status: 'PAID', smsSentAt: now }))).toBe('none');
    expect(nextStep(line({ status: 'PAID', smsGaveUp: true }))).toBe('none');
    expect(nextStep(line({ status: 'FAILED' }))).toBe('none');
    expect(nextStep(line({ status: 'RELEASED' }))).toBe('none');
  });
});

describe('decideAfterSend', () => {
  it('accepted and pending: SUBMITTED, and the job waits for the callback (or asks after statusCheckAfterMs)', () => {
    expect(decideAfterSend(line(), { kind: 'accepted', transaction: txn('PENDING') }, now, timings)).toEqual({
      kind: 'update_and_recheck',
      update: { to: 'SUBMITTED', transaction: txn('PENDING'), attempted: true, nextCheckAt: new Date(now.getTime() + 60_000) },
      delayMs: 60_000,
    });
  });

  it('a duplicate after a crash carries the final outcome: PAID (then the SMS) or FAILED with the reason', () => {
    const paid = decideAfterSend(line(), { kind: 'duplicate', transaction: txn('SUCCESS') }, now, timings);
    expect(paid).toMatchObject({ kind: 'update', update: { to: 'PAID', attempted: true }, then: 'sms' });
    const failed = decideAfterSend(line(), { kind: 'duplicate', transaction: txn('FAILED', { reasonCode: 'PAYEE_NOT_FOUND', reason: 'unknown number' }) }, now, timings);
    expect(failed).toMatchObject({ kind: 'update', update: { to: 'FAILED', reasonCode: 'PAYEE_NOT_FOUND', reason: 'unknown number', nextCheckAt: null } });
  });

  it('an ambiguous answer makes the line UNKNOWN and schedules a status query, never a new send', () => {
    const decision = decideAfterSend(line(), { kind: 'ambiguous', reason: 'timed out' }, now, timings);
    expect(decision).toEqual({
      kind: 'update_and_recheck',
      update: { to: 'UNKNOWN', attempted: true, reason: 'outcome unknown: timed out', nextCheckAt: new Date(now.getTime() + 2_000) },
      delayMs: 2_000,
    });
  });

  it('an answer about another reference is not trusted', () => {
    const decision = decideAfterSend(line(), { kind: 'accepted', transaction: txn('SUCCESS', { referenceId: 'someone-else' }) }, now, timings);
    expect(decision).toMatchObject({ kind: 'update_and_recheck', update: { to: 'UNKNOWN' } });
  });

  it('a definitive refusal fails the line with the provider code (nothing was sent)', () => {
    const decision = decideAfterSend(line(), { kind: 'rejected', httpStatus: 400, code: 'INVALID_REQUEST', message: 'bad msisdn' }, now, timings);
    expect(decision).toMatchObject({ kind: 'update', update: { to: 'FAILED', reasonCode: 'PROVIDER_REJECTED_REQUEST', nextCheckAt: null } });
    expect(decision.kind === 'update' && decision.update.transaction).toBeUndefined();
  });

  it('429 pauses; refused credentials retry later; neither touches the line', () => {
    expect(decideAfterSend(line(), { kind: 'rate_limited', retryAfterMs: 2000 }, now, timings)).toEqual({ kind: 'rate_limited', retryAfterMs: 2000 });
    expect(decideAfterSend(line(), { kind: 'not_processed', httpStatus: 401, code: '41', message: 'bad credentials' }, now, timings)).toMatchObject({ kind: 'retry' });
  });
});

describe('decideAfterCheck', () => {
  const unknown = (sentSecondsAgo: number, checks = 0) => line({ status: 'UNKNOWN', attempts: 1, checks, lastSentAt: new Date(now.getTime() - sentSecondsAgo * 1000) });

  it('the status query settles an UNKNOWN line whichever way the provider says', () => {
    expect(decideAfterCheck(unknown(5), { kind: 'found', transaction: txn('SUCCESS') }, now, timings)).toMatchObject({ kind: 'update', update: { to: 'PAID', checked: true }, then: 'sms' });
    expect(decideAfterCheck(unknown(5), { kind: 'found', transaction: txn('FAILED', { reasonCode: 'PAYEE_BLOCKED' }) }, now, timings)).toMatchObject({ update: { to: 'FAILED', reasonCode: 'PAYEE_BLOCKED' } });
    expect(decideAfterCheck(unknown(5), { kind: 'found', transaction: txn('PENDING') }, now, timings)).toMatchObject({
      kind: 'update_and_recheck',
      update: { to: 'SUBMITTED', checked: true },
      delayMs: 60_000,
    });
  });

  it('404 soon after the send: wait until the send is safely old, then ask again (no resend yet)', () => {
    const decision = decideAfterCheck(unknown(10), { kind: 'not_found' }, now, timings);
    expect(decision).toMatchObject({ kind: 'update_and_recheck', update: { to: 'UNKNOWN' }, delayMs: 20_000 });
  });

  it('404 once the last send is older than the safe delay: resend under the same reference', () => {
    expect(decideAfterCheck(unknown(30), { kind: 'not_found' }, now, timings)).toEqual({ kind: 'resend' });
    expect(decideAfterCheck(unknown(300), { kind: 'not_found' }, now, timings)).toEqual({ kind: 'resend' });
  });

  it('a provider that cannot answer: keep the status, ask again later with growing delays', () => {
    const first = decideAfterCheck(unknown(5, 0), { kind: 'unavailable', reason: '503' }, now, timings);
    const fourth = decideAfterCheck(unknown(5, 3), { kind: 'unavailable', reason: '503' }, now, timings);
    expect(first).toMatchObject({ kind: 'update_and_recheck', update: { to: 'UNKNOWN', checked: true }, delayMs: 2_000 });
    expect(fourth).toMatchObject({ delayMs: 16_000 });
    expect(decideAfterCheck(line({ status: 'SUBMITTED' }), { kind: 'unavailable', reason: 'timed out' }, now, timings)).toMatchObject({ update: { to: 'SUBMITTED' } });
  });

  it('a SUBMITTED line whose callback never came is still pending: stays SUBMITTED, asked again less and less often', () => {
    const decision = decideAfterCheck(line({ status: 'SUBMITTED', checks: 1 }), { kind: 'found', transaction: txn('PENDING') }, now, timings);
    expect(decision).toMatchObject({ kind: 'update_and_recheck', update: { to: 'SUBMITTED', nextCheckAt: new Date(now.getTime() + 120_000) }, delayMs: 120_000 });
    const later = decideAfterCheck(line({ status: 'SUBMITTED', checks: 9 }), { kind: 'found', transaction: txn('PENDING') }, now, timings);
    expect(later).toMatchObject({ delayMs: 300_000 });
  });
});

describe('recheckDelay', () => {
  it('doubles from the base and stops at the maximum', () => {
    expect([0, 1, 2, 3].map((checks) => recheckDelay(checks, timings))).toEqual([2000, 4000, 8000, 16000]);
    expect(recheckDelay(50, timings)).toBe(300_000);
  });
});
