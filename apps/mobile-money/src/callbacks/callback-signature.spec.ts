import { createHmac } from 'node:crypto';
import { callbackBackoffMs, signCallback, verifyCallbackSignature } from './callback-signature';

const secret = 'callback-secret-for-tests';
const body = '{"transactionId":"CI1","status":"SUCCESS"}';

describe('callback signatures', () => {
  it('signs "<t>.<body>" with HMAC-SHA256', () => {
    const header = signCallback(body, secret, 1_700_000_000);
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(header).toBe(`t=1700000000,v1=${expected}`);
  });

  it('verifies its own signatures over the raw bytes', () => {
    const header = signCallback(body, secret, 1_700_000_000);
    expect(verifyCallbackSignature(Buffer.from(body), header, secret, 1_700_000_010)).toEqual({
      valid: true,
    });
  });

  it('rejects a changed body, a wrong secret, an old timestamp and garbage', () => {
    const header = signCallback(body, secret, 1_700_000_000);
    expect(
      verifyCallbackSignature(body.replace('SUCCESS', 'FAILED'), header, secret, 1_700_000_000).valid,
    ).toBe(false);
    expect(verifyCallbackSignature(body, header, 'another-secret', 1_700_000_000).valid).toBe(false);
    expect(verifyCallbackSignature(body, header, secret, 1_700_000_301)).toEqual({
      valid: false,
      problem: 'timestamp outside the tolerance',
    });
    expect(verifyCallbackSignature(body, 't=abc,v1=zz', secret, 1_700_000_000).valid).toBe(false);
    expect(verifyCallbackSignature(body, undefined, secret, 1_700_000_000).valid).toBe(false);
  });

  it('backs off exponentially with a cap', () => {
    expect([1, 2, 3, 4].map((attempt) => callbackBackoffMs(attempt, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(callbackBackoffMs(30, 1000)).toBe(600_000);
  });
});
