import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The provider signs each callback: `X-Callback-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256
 * over "<t>.<raw body>">`. We verify over the raw bytes (never a re-serialised body) and refuse
 * timestamps outside the tolerance, so a captured callback cannot be replayed later.
 */
export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; problem: string };

export function verifyCallbackSignature(input: {
  header: string | undefined;
  rawBody: Buffer;
  secret: string;
  nowSeconds: number;
  toleranceSeconds: number;
}): SignatureCheck {
  const { header, rawBody, secret, nowSeconds, toleranceSeconds } = input;
  if (!header) return { ok: false, problem: 'the X-Callback-Signature header is missing' };
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    const key = part.slice(0, index).trim();
    const value = part.slice(index + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  if (timestamp === null) return { ok: false, problem: 'the signature has no valid timestamp (t=)' };
  if (signatures.length === 0) return { ok: false, problem: 'the signature has no v1 HMAC-SHA256' };
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
    return { ok: false, problem: `the signature timestamp is more than ${toleranceSeconds} s away from now` };
  }
  const expected = signCallback(secret, timestamp, rawBody);
  const expectedBytes = Buffer.from(expected, 'hex');
  const matches = signatures.some((candidate) => {
    const bytes = Buffer.from(candidate, 'hex');
    return bytes.length === expectedBytes.length && timingSafeEqual(bytes, expectedBytes);
  });
  return matches ? { ok: true, timestamp } : { ok: false, problem: 'the signature does not match the body' };
}

/** Hex HMAC-SHA256 of "<t>.<raw body>" (what the provider sends; tests sign with it too). */
export function signCallback(secret: string, timestamp: number, rawBody: Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}
