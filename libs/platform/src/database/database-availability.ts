/**
 * Postgres SQLSTATE classes and codes that say the database could not do the work right now, not
 * that the work is wrong: the connection failed or was closed (class 08), the server is short of
 * resources (53) or shutting down or starting (57P01–57P03), or the transaction lost a race
 * (40001 serialization failure, 40P01 deadlock, 55P03 lock not available). Trying again later
 * succeeds.
 */
const TRANSIENT_SQLSTATE_CLASSES = ['08', '53'];
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '40001', '40P01', '55P03']);
/** Node's socket errors, and what pg and pg-pool say when a connection dies or cannot be had. */
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const TRANSIENT_MESSAGES = [/Connection terminated/i, /timeout exceeded when trying to connect/i, /Client has encountered a connection error/i, /the database system is (starting up|shutting down)/i];

/** Whether an error (TypeORM's QueryFailedError, pg's DatabaseError, a socket error) is one that trying again later can cure. */
export function isTransientDatabaseError(error: unknown): boolean {
  const candidate = ((error as { driverError?: unknown } | null)?.driverError ?? error) as { code?: unknown; message?: unknown } | null;
  if (!candidate) return false;
  const code = typeof candidate.code === 'string' ? candidate.code : undefined;
  if (code && (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_NODE_CODES.has(code))) return true;
  if (code && /^[0-9A-Z]{5}$/.test(code) && TRANSIENT_SQLSTATE_CLASSES.includes(code.slice(0, 2))) return true;
  const message = typeof candidate.message === 'string' ? candidate.message : '';
  return TRANSIENT_MESSAGES.some((pattern) => pattern.test(message));
}
