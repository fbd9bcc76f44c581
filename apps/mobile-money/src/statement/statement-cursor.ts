/**
 * The statement's keyset position: the last row's creation time in microseconds since the epoch
 * (Postgres keeps microseconds; a JS Date would lose them) and its id. Opaque to clients.
 */
export interface StatementPosition {
  createdAtMicros: string;
  id: string;
}

export function encodeCursor(position: StatementPosition): string {
  return Buffer.from(`${position.createdAtMicros}:${position.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): StatementPosition | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const match = /^(\d{1,19}):(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? { createdAtMicros: match[1], id: match[2] } : null;
}
