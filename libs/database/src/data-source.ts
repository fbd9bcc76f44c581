import { Client } from 'pg';
import { DataSource, DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export interface ServiceDatabaseOptions {
  /** postgres:// URL of the cluster database shared by all services. */
  url: string;
  /** The Postgres schema this service owns; no other service reads it. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  applicationName?: string;
  poolSize?: number;
}

/** One TypeORM data source per service, in its own schema; schema changes only through migrations. */
export function buildDataSourceOptions(options: ServiceDatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    applicationName: options.applicationName ?? options.schema,
    // search_path lets hand-written SQL name the service's tables without the schema prefix.
    extra: { max: options.poolSize ?? 10, options: `-c search_path=${options.schema},public` },
    logging: ['error'],
  };
}

/** Creates the database named in the URL when it is missing (the first `npm start` on a new machine). */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const target = new URL(url);
  const databaseName = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!databaseName) throw new Error(`DATABASE_URL names no database: ${redactUrl(url)}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE "${databaseName.replace(/"/g, '""')}"`);
      } catch (error) {
        // Another service created it between our check and our CREATE.
        if ((error as { code?: string }).code !== '42P04') throw error;
      }
    }
  } finally {
    await client.end();
  }
}

/**
 * Creates the service's schema and runs its pending migrations. An advisory lock keyed by the schema
 * makes concurrent boots of the same service wait for each other instead of racing.
 */
export async function migrateServiceSchema(options: ServiceDatabaseOptions): Promise<string[]> {
  await ensureDatabaseExists(options.url);
  const base = buildDataSourceOptions(options);
  const dataSource = new DataSource({ ...base, extra: { ...(base.extra as object), max: 2 } } as DataSourceOptions);
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${options.schema}`]);
    await lock.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${options.schema}`]).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
