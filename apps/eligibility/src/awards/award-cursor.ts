import { isUuid } from '@scholarpay/platform';

/** Where a page of a programme's awards ends: the keyset (awarded at, award id) of its last award. */
export interface AwardCursor {
  awardedAt: string;
  awardId: string;
}

/** Exactly what `encodeAwardCursor` writes: an instant as Date#toISOString gives it, and a UUID. */
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodeAwardCursor(awardedAt: Date, awardId: string): string {
  return Buffer.from(JSON.stringify([awardedAt.toISOString(), awardId])).toString('base64url');
}

/**
 * The cursor's keyset, or null when it is not one this service gave. Anything looser reaches
 * Postgres as a timestamptz or uuid it cannot read, and a client's typo becomes a 500.
 */
export function decodeAwardCursor(cursor: string): AwardCursor | null {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) return null;
  const [awardedAt, awardId] = decoded as unknown[];
  if (typeof awardedAt !== 'string' || typeof awardId !== 'string') return null;
  if (!isoInstant.test(awardedAt) || !isUuid(awardId)) return null;
  const instant = new Date(awardedAt);
  if (Number.isNaN(instant.getTime()) || instant.toISOString() !== awardedAt) return null;
  return { awardedAt, awardId: awardId.toLowerCase() };
}
