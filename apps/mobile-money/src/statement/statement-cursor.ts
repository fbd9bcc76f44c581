/**
 * The statement's keyset position: the last row's creation time in microseconds since the epoch
 * (Postgres keeps microseconds; a JS Date would lose them) and its id. Opaque to clients.
 */
export interface StatementPosition {
  createdAtMicros: string;
  id: string;
}

/** The largest bigint: ids are bigserial. */
const MAX_ID = 9_223_372_036_854_775_807n;
/**
 * 9999-12-31T23:59:59.999999Z: no row is created later, and far larger values overflow Postgres's
 * interval or timestamp arithmetic (a 500) before they could match anything.
 */
const MAX_CREATED_AT_MICROS = 253_402_300_799_999_999n;

export function encodeCursor(position: StatementPosition): string {
  return Buffer.from(`${position.createdAtMicros}:${position.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): StatementPosition | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const match = /^(\d{1,19}):(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || BigInt(match[1]) > MAX_CREATED_AT_MICROS || BigInt(match[2]) > MAX_ID) return null;
  return { createdAtMicros: match[1], id: match[2] };
}
