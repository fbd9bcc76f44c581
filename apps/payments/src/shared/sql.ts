import type { EntityManager } from 'typeorm';

type Queryable = Pick<EntityManager, 'query'>;

/**
 * Runs SQL and returns its rows whatever the command: TypeORM answers UPDATE and DELETE with
 * `[rows, count]` and everything else with the rows.
 */
export async function queryRows<T>(db: Queryable, sql: string, parameters: unknown[] = []): Promise<T[]> {
  const result: unknown = await db.query(sql, parameters);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return (result ?? []) as T[];
}

export async function queryOne<T>(db: Queryable, sql: string, parameters: unknown[] = []): Promise<T | undefined> {
  const rows = await queryRows<T>(db, sql, parameters);
  return rows[0];
}

/** Postgres unique_violation (23505), optionally on a named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? (error as { code?: string; constraint?: string });
  return driverError?.code === '23505' && (constraint === undefined || driverError.constraint === constraint);
}

/** bigint/numeric columns arrive as strings from pg; XOF sums stay within the safe range. */
export function toSafeNumber(value: string | number | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const parsed = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(parsed)) throw new Error(`value ${String(value)} is not a safe integer`);
  return parsed;
}

/** Splits work into chunks (bulk statements stay a reasonable size). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
