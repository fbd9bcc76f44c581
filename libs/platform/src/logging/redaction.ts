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

export const redactionPaths: string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-callback-signature"]',
  'res.headers["set-cookie"]',
  ...sensitiveKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]),
];

const phonePattern = /(\+|%2B|\b00)?\d(?:[\s.-]?\d){7,14}\b/gi;
const bearerPattern = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;
const jwtPattern = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

/** Masks phone-like digit runs and credentials in free text. Ids that are UUIDs are left alone. */
export function maskSensitiveText(text: string): string {
  return text
    .replace(bearerPattern, '$1 [REDACTED]')
    .replace(jwtPattern, '[REDACTED]')
    .replace(phonePattern, (match) => (match.replace(/\D/g, '').length >= 8 ? '[PHONE]' : match));
}
