/** The constraint a Postgres unique violation (23505) broke, or null for any other error. */
export function violatedUniqueConstraint(error: unknown): string | null {
  const candidate = (error as { driverError?: unknown }).driverError ?? error;
  const { code, constraint } = candidate as { code?: string; constraint?: string };
  return code === '23505' ? (constraint ?? '') : null;
}

/** Errors after which the whole transaction may simply be tried again. */
export function isRetryableTransactionError(error: unknown): boolean {
  if ((error as { name?: string }).name === 'ConcurrentStudentChangeError') return true;
  const candidate = (error as { driverError?: unknown }).driverError ?? error;
  const code = (candidate as { code?: string }).code;
  return code === '23505' || code === '40001' || code === '40P01';
}

/** A database error described without its query, parameters or detail (which hold personal data). */
export function describeDatabaseError(error: unknown): {
  name: string;
  code?: string;
  constraint?: string;
  message: string;
} {
  const candidate = (error as { driverError?: unknown }).driverError ?? error;
  const { code, constraint } = candidate as { code?: string; constraint?: string };
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return { name, ...(code ? { code } : {}), ...(constraint ? { constraint } : {}), message };
}
