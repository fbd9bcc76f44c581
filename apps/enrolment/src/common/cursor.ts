import { AppError } from '@scholarpay/platform';

/**
 * Opaque cursors for keyset pagination: the position after the last item served, base64url-encoded
 * so clients do not build them. A cursor this service did not issue is a 400 naming the parameter.
 */
export function encodeCursor(position: number): string {
  return Buffer.from(JSON.stringify({ after: position }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined, field = 'cursor'): number | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'number' && Number.isSafeInteger(parsed.after) && parsed.after >= 0)
      return parsed.after;
  } catch {
    // fall through
  }
  throw AppError.validation('REQUEST.INVALID_CURSOR', `${field} is not a cursor this service issued`, [
    { field, problem: 'is not a cursor this service issued; pass back nextCursor unchanged' },
  ]);
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
