/** A UUID as text, in either case: the form Postgres's uuid type reads. For building larger patterns. */
export const UUID_PATTERN = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const wholeUuid = new RegExp(`^${UUID_PATTERN}$`, 'i');

/** Whether a value is a UUID, so that a query given it cannot fail on it (a 500) but only find nothing. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && wholeUuid.test(value);
}
