import type { EntityManager } from 'typeorm';

/**
 * Runs SQL and returns its rows. TypeORM answers UPDATE and DELETE with `[rows, count]` but other
 * statements with the rows alone; this evens that out (rows are objects, never arrays).
 */
export async function queryRows<T>(
  manager: EntityManager,
  sql: string,
  parameters: unknown[] = [],
): Promise<T[]> {
  const result: unknown = await manager.query(sql, parameters);
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}

/** A Postgres bigint (a string from pg) as a safe integer number of francs or a count. */
export function toSafeNumber(value: string | number | null): number {
  const parsed = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(parsed)) throw new Error(`database value ${String(value)} is not a safe integer`);
  return parsed;
}
