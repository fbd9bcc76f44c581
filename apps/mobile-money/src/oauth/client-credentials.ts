import { createHash, timingSafeEqual } from 'node:crypto';

export interface BasicCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * Reads `Authorization: Basic base64(client_id:client_secret)`. Returns null when the header is
 * absent or not Basic (code 40), and `'malformed'` when it is Basic but cannot be decoded (code 41).
 */
export function parseBasicAuthorization(header: string | undefined): BasicCredentials | null | 'malformed' {
  if (!header || !/^Basic(\s|$)/i.test(header)) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=_-]*)\s*$/i.exec(header);
  if (!match || match[1] === '') return 'malformed';
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator <= 0) return 'malformed';
  // RFC 6749 §2.3.1: client id and secret are form-urlencoded before being joined.
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, separator).replace(/\+/g, ' ')),
      clientSecret: decodeURIComponent(decoded.slice(separator + 1).replace(/\+/g, ' ')),
    };
  } catch {
    return { clientId: decoded.slice(0, separator), clientSecret: decoded.slice(separator + 1) };
  }
}

/** Constant-time comparison (on digests, so lengths do not leak either). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Tokens are stored and cached only as their SHA-256. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** `Authorization: Bearer <token>`: the token, or null when there is none. */
export function bearerTokenOf(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}
