/** True when the error is Postgres refusing a duplicate on the named unique constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const driverError = (error as { driverError?: unknown }).driverError ?? error;
  const { code, constraint: name } = driverError as { code?: string; constraint?: string };
  return code === '23505' && (constraint === undefined || name === constraint);
}
