import { Client } from 'pg';

export const TEST_DATABASE_ROOT = process.env.TEST_DATABASE_ROOT ?? 'postgres://postgres@127.0.0.1:5432';

/**
 * A fresh, empty database for one test file, so suites never see each other's rows.
 * Each suite passes its own name (e.g. 'enrolment_students').
 */
export async function createTestDatabase(name: string): Promise<string> {
  const databaseName = `scholarpay_test_${name}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const admin = new Client({ connectionString: `${TEST_DATABASE_ROOT}/postgres` });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${databaseName}"`);
  } finally {
    await admin.end();
  }
  return `${TEST_DATABASE_ROOT}/${databaseName}`;
}
