import { UUID_PATTERN } from '@scholarpay/contracts';

/**
 * Phone numbers, national ids and tokens never reach the logs. Structured fields are redacted by
 * key (pino's redact paths); free text (messages, URLs) is masked by pattern as a second line of
 * defence, since a number can hide in an error message or a path like /accountholders/+223…/active.
 */
const sensitiveKeys = [
  'phone',
  'msisdn',
  'nationalId',
  'national_id',
  'nina',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'authorization',
  'Authorization',
  'cookie',
  'to',
  'customer',
];

/** pino redact paths for the top-level keys (and request headers) of a child logger's bindings. */
export const topLevelRedactionPaths: string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-callback-signature"]',
  'res.headers["set-cookie"]',
  ...sensitiveKeys,
];

const sensitiveKeySet = new Set(sensitiveKeys.map((key) => key.toLowerCase()));
export const REDACTED = '[REDACTED]';
/** Deep enough for any log object we write; bounds the cost of a cyclic or huge value. */
const MAX_REDACTION_DEPTH = 8;

/**
 * A copy of `value` with every sensitive key (any depth, any case) replaced by [REDACTED]; the same
 * reference when nothing needed redacting. It replaces pino's wildcard redact paths, whose cost
 * grows with the number of paths (≈15 µs per child logger for ours, paid on every request by
 * pino-http); this walk costs what the object's size costs. Streams, requests and responses are
 * left to their serializers; errors to the err serializer.
 */
export function redactSensitiveFields<T>(value: T): T {
  return redactValue(value, 0) as T;
}

function redactValue(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || !isWalkable(value)) return value;
  if (depth >= MAX_REDACTION_DEPTH) return '[TOO DEEP]';
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let index = 0; index < value.length; index++) {
      const item = redactValue(value[index], depth + 1);
      if (item !== value[index]) {
        copy ??= value.slice();
        copy[index] = item;
      }
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | null = null;
  for (const key of Object.keys(record)) {
    const original = record[key];
    const redacted =
      sensitiveKeySet.has(key.toLowerCase()) && original !== undefined && original !== null
        ? REDACTED
        : redactValue(original, depth + 1);
    if (redacted !== original) {
      copy ??= { ...record };
      copy[key] = redacted;
    }
  }
  return copy ?? value;
}

function isWalkable(value: object): boolean {
  if (value instanceof Error || value instanceof Date || Buffer.isBuffer(value) || ArrayBuffer.isView(value))
    return false;
  // Requests, responses, sockets and other emitters: their serializers decide what is logged.
  return typeof (value as { on?: unknown }).on !== 'function';
}

/**
 * A UUID, matched whole so that its digits are never read as a phone number (a UUID such as
 * `26282e61-4837-4012-9d0b-…` holds the run "61-4837-4012"), or a phone-like digit run.
 */
/** Between the digits of a phone number: a space, dot or dash, written plainly or URL-encoded (`+` is a space in a query string). */
const PHONE_SEPARATOR = '(?:[\\s.+-]|%20|%2D|%2E)';
const uuidOrPhonePattern = new RegExp(`\\b${UUID_PATTERN}\\b|(?:\\+|%2B|\\b00)?\\d(?:${PHONE_SEPARATOR}?\\d){7,14}\\b`, 'gi');
const wholeUuid = new RegExp(`^${UUID_PATTERN}$`, 'i');
const bearerPattern = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
/** Credentials and national ids written as `key=value` (query strings, form bodies, messages). */
const credentialPairPattern = /\b(access_token|refresh_token|id_token|client_secret|password|secret|api_?key|national_?id)=[^&\s"']+/gi;
/** The password of a connection URL (`postgres://user:password@host`). */
const urlPasswordPattern = /\b([a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s/]+@/gi;
const jwtPattern = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

/** Masks phone-like digit runs (plain or URL-encoded) and credentials in free text. Ids that are UUIDs are left alone. */
export function maskSensitiveText(text: string): string {
  return text
    .replace(bearerPattern, '$1 [REDACTED]')
    .replace(jwtPattern, '[REDACTED]')
    .replace(credentialPairPattern, '$1=[REDACTED]')
    .replace(urlPasswordPattern, '$1[REDACTED]@')
    .replace(uuidOrPhonePattern, (match) =>
      !wholeUuid.test(match) && match.replace(/\D/g, '').length >= 8 ? '[PHONE]' : match,
    );
}
