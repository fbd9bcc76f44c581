import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import Redis from 'ioredis';
import { Client } from 'pg';
import { redactUrl } from '@scholarpay/database';

export const START_POSTGRES = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';
export const START_REDIS =
  'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no';

/** Why a dependency is not usable, in words a developer can act on; null when it answers. */
export type Problem = string | null;

function hostPort(url: string, defaultPort: number): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || '127.0.0.1'}:${parsed.port || defaultPort}`;
  } catch {
    return url;
  }
}

/** Connects to the cluster's `postgres` database (the target may not exist yet: we create it next). */
export async function checkPostgres(databaseUrl: string): Promise<Problem> {
  let admin: URL;
  try {
    admin = new URL(databaseUrl);
  } catch {
    return `DATABASE_URL is not a URL: ${redactUrl(databaseUrl)}`;
  }
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    const address = hostPort(databaseUrl, 5432);
    const code = (error as { code?: string }).code;
    if (code === 'ECONNREFUSED' || code === 'ENOENT') {
      return `PostgreSQL is not reachable at ${address} (DATABASE_URL=${redactUrl(databaseUrl)}).\n  Start it with: ${START_POSTGRES}`;
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return `PostgreSQL host in DATABASE_URL cannot be resolved: ${address}`;
    }
    if (code === '28P01' || code === '28000') {
      return `PostgreSQL at ${address} refused the login in DATABASE_URL=${redactUrl(databaseUrl)}: ${(error as Error).message}`;
    }
    return `PostgreSQL at ${address} did not answer: ${(error as Error).message}.\n  Start it with: ${START_POSTGRES}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function checkRedis(redisUrl: string): Promise<Problem> {
  const address = hostPort(redisUrl, 6379);
  let redis: Redis;
  try {
    redis = new Redis(redisUrl, {
      lazyConnect: true,
      connectTimeout: 5000,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
  } catch (error) {
    return `REDIS_URL is not usable (${(error as Error).message})`;
  }
  let connectionError: (Error & { code?: string }) | null = null;
  redis.on('error', (error: Error) => {
    connectionError ??= error;
  });
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    // ioredis rejects with "Connection is closed"; the socket's own error says why.
    const cause: Error & { code?: string } = connectionError ?? (error as Error);
    if (/NOAUTH|WRONGPASS/.test(cause.message)) {
      return `Redis at ${address} refused the credentials in REDIS_URL: ${cause.message}`;
    }
    if (cause.code === 'ENOTFOUND' || cause.code === 'EAI_AGAIN') {
      return `Redis host in REDIS_URL cannot be resolved: ${address}`;
    }
    const port = address.split(':').pop() ?? '6379';
    const command = port === '6379' ? START_REDIS : START_REDIS.replace('--port 6379', `--port ${port}`);
    return `Redis is not reachable at ${address} (${cause.code ?? cause.message}).\n  Start it with: ${command}`;
  } finally {
    redis.disconnect();
  }
}

/** True when nothing listens on host:port (we can bind it ourselves). */
export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Whether process `pid` holds the listening socket on `port` (Linux, from /proc). Null where /proc
 * cannot tell (another OS): then the caller trusts the HTTP answer alone. This keeps `npm start`
 * from taking another program's answer on the port for its own service's.
 */
export function ownsListeningPort(pid: number, port: number): boolean | null {
  const inodes = new Set<string>();
  let readable = false;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
      readable = true;
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      if (columns.length < 10 || columns[3] !== '0A') continue; // 0A = LISTEN
      const localPort = parseInt(columns[1].split(':').pop() ?? '', 16);
      if (localPort === port) inodes.add(columns[9]);
    }
  }
  if (!readable) return null;
  if (inodes.size === 0) return false;
  let descriptors: string[];
  try {
    descriptors = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return null;
  }
  return descriptors.some((fd) => {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      return target.startsWith('socket:[') && inodes.has(target.slice(8, -1));
    } catch {
      return false;
    }
  });
}
