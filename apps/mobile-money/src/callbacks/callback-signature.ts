import { createHmac, timingSafeEqual } from 'node:crypto';

export const CALLBACK_SIGNATURE_HEADER = 'X-Callback-Signature';
export const CALLBACK_TOLERANCE_SECONDS = 300;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 over "<t>.<raw body>">`. */
export function signCallback(rawBody: string, secret: string, unixSeconds: number): string {
  const digest = createHmac('sha256', secret).update(`${unixSeconds}.${rawBody}`).digest('hex');
  return `t=${unixSeconds},v1=${digest}`;
}

export type SignatureCheck = { valid: true } | { valid: false; problem: string };

/**
 * What a receiver does: verify the HMAC over the raw bytes received and refuse old timestamps
 * (replays). Exported so tests (and the documentation) show the receiving side.
 */
export function verifyCallbackSignature(
  rawBody: string | Buffer,
  header: string | undefined,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = CALLBACK_TOLERANCE_SECONDS,
): SignatureCheck {
  if (!header) return { valid: false, problem: 'no signature header' };
  const parts = new Map(
    header.split(',').map((part) => {
      const index = part.indexOf('=');
      return [part.slice(0, index).trim(), part.slice(index + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isInteger(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1))
    return { valid: false, problem: 'malformed signature header' };
  if (Math.abs(nowSeconds - t) > toleranceSeconds)
    return { valid: false, problem: 'timestamp outside the tolerance' };
  const expected = createHmac('sha256', secret)
    .update(Buffer.concat([Buffer.from(`${t}.`), Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody)]))
    .digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'))
    ? { valid: true }
    : { valid: false, problem: 'signature mismatch' };
}

/** Exponential backoff after the `attempt`-th failed attempt (1-based), capped at ten minutes. */
export function callbackBackoffMs(attempt: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 600_000);
}
