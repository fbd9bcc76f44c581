import { signCallback, verifyCallbackSignature } from './callback-signature';

const secret = 'callback-secret-for-tests';
const body = Buffer.from('{"transactionId":"MP1","referenceId":"r","status":"SUCCESS"}');
const now = 1_700_000_000;

function header(timestamp: number, raw = body, key = secret): string {
  return `t=${timestamp},v1=${signCallback(key, timestamp, raw)}`;
}

describe('verifyCallbackSignature', () => {
  it('accepts a signature over the raw body with a fresh timestamp', () => {
    expect(verifyCallbackSignature({ header: header(now), rawBody: body, secret, nowSeconds: now + 10, toleranceSeconds: 300 })).toEqual({ ok: true, timestamp: now });
  });

  it('refuses a body changed by one byte, a wrong secret, and a missing or malformed header', () => {
    const tampered = Buffer.from(body.toString().replace('SUCCESS', 'FAILED '));
    expect(verifyCallbackSignature({ header: header(now), rawBody: tampered, secret, nowSeconds: now, toleranceSeconds: 300 })).toMatchObject({ ok: false, problem: 'the signature does not match the body' });
    expect(verifyCallbackSignature({ header: header(now, body, 'another-secret'), rawBody: body, secret, nowSeconds: now, toleranceSeconds: 300 }).ok).toBe(false);
    expect(verifyCallbackSignature({ header: undefined, rawBody: body, secret, nowSeconds: now, toleranceSeconds: 300 })).toMatchObject({ problem: 'the X-Callback-Signature header is missing' });
    expect(verifyCallbackSignature({ header: 'v1=abc', rawBody: body, secret, nowSeconds: now, toleranceSeconds: 300 }).ok).toBe(false);
    expect(verifyCallbackSignature({ header: `t=${now}`, rawBody: body, secret, nowSeconds: now, toleranceSeconds: 300 })).toMatchObject({ problem: 'the signature has no v1 HMAC-SHA256' });
  });

  it('refuses replays older than the tolerance, and timestamps from the future beyond it', () => {
    expect(verifyCallbackSignature({ header: header(now - 301), rawBody: body, secret, nowSeconds: now, toleranceSeconds: 300 })).toMatchObject({ ok: false });
    expect(verifyCallbackSignature({ header: header(now + 301), rawBody: body, secret, nowSeconds: now, toleranceSeconds: 300 })).toMatchObject({ ok: false });
    expect(verifyCallbackSignature({ header: header(now - 299), rawBody: body, secret, nowSeconds: now, toleranceSeconds: 300 }).ok).toBe(true);
  });

  it('accepts any one of several v1 signatures (secret rotation)', () => {
    const both = `t=${now},v1=${signCallback('old-secret', now, body)},v1=${signCallback(secret, now, body)}`;
    expect(verifyCallbackSignature({ header: both, rawBody: body, secret, nowSeconds: now, toleranceSeconds: 300 }).ok).toBe(true);
  });
});
