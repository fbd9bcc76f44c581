/** Anything that runs SQL: a DataSource or an EntityManager inside a transaction. */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * The rows of a statement. TypeORM answers UPDATE and DELETE with `[rows, rowCount]` and every
 * other command with the rows; this gives the rows either way (for UPDATE … RETURNING).
 */
export async function queryRows<T>(runner: SqlRunner, sql: string, parameters: unknown[] = []): Promise<T[]> {
  const result = await runner.query(sql, parameters);
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
