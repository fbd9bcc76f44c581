import { isIP } from 'node:net';
import { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL } from '../config/config-values';
import { ConfigValidationError } from '../config/service-config';

/**
 * Runs a service's main and turns the failures a new user meets (bad config, Postgres or Redis
 * down) into one clear line instead of a stack trace.
 */
export function runMain(service: string, main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${describeStartupFailure(service, error)}\n`);
    process.exit(1);
  });
}

interface Dependency {
  variable: 'DATABASE_URL' | 'REDIS_URL';
  name: string;
  host: string;
  port: number;
  /** How to start it, when it is meant to run on this machine. */
  localStart: string;
}

/** Where the environment says PostgreSQL and Redis are (the defaults when unset, as loadConfig has them). */
function dependenciesOf(env: Record<string, string | undefined>): Dependency[] {
  const dependencies: Dependency[] = [];
  const add = (
    variable: Dependency['variable'],
    name: string,
    url: string,
    defaultPort: number,
    localStart: string,
  ) => {
    try {
      const parsed = new URL(url);
      const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
      dependencies.push({ variable, name, host, port: Number(parsed.port || defaultPort), localStart });
    } catch {
      // Config validation names a malformed URL before anything connects.
    }
  };
  add(
    'DATABASE_URL',
    'PostgreSQL',
    env.DATABASE_URL || DEFAULT_DATABASE_URL,
    5432,
    'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
  );
  add(
    'REDIS_URL',
    'Redis',
    env.REDIS_URL || DEFAULT_REDIS_URL,
    6379,
    'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
  );
  return dependencies;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);
const UNRESOLVED = new Set(['ENOTFOUND', 'EAI_AGAIN']);
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** The dependency a connection error is about: its address and port are those of a configured URL. */
function dependencyFailing(
  error: { code?: string; address?: string; port?: number; hostname?: string },
  env: Record<string, string | undefined>,
) {
  const dependencies = dependenciesOf(env);
  if (error.code && UNRESOLVED.has(error.code)) {
    return dependencies.find((dependency) => dependency.host === error.hostname);
  }
  if (!error.code || !UNREACHABLE.has(error.code) || error.port === undefined) return undefined;
  // A host name was resolved to the address in the error; an IP address must be that address.
  return dependencies.find(
    (dependency) =>
      dependency.port === error.port && (isIP(dependency.host) === 0 || dependency.host === error.address),
  );
}

export function describeStartupFailure(
  service: string,
  error: unknown,
  env: Record<string, string | undefined> = process.env,
): string {
  if (error instanceof ConfigValidationError) return error.message;
  const details = (error ?? {}) as {
    code?: string;
    address?: string;
    port?: number;
    hostname?: string;
    syscall?: string;
  };
  const dependency = dependencyFailing(details, env);
  if (dependency && details.code && UNRESOLVED.has(details.code)) {
    return `${service}: cannot resolve ${dependency.host}, the host of ${dependency.variable} (${dependency.name})`;
  }
  if (dependency) {
    const where = `${details.address ?? dependency.host}:${details.port}`;
    const start = LOOPBACK.has(dependency.host) ? `. Start it with: ${dependency.localStart}` : '';
    return `${service}: cannot reach ${dependency.name} at ${where} (${dependency.variable}): ${details.code}${start}`;
  }
  if (details.code === 'EADDRINUSE') {
    return `${service}: port ${details.port} is already in use; stop the other process or set this service's port variable`;
  }
  if (details.syscall === 'listen' || (details.syscall === 'getaddrinfo' && details.hostname === env.HOST)) {
    return `${service}: cannot listen on HOST ${details.address ?? details.hostname ?? env.HOST}: ${details.code} (set HOST to an address of this machine, e.g. 127.0.0.1 or 0.0.0.0)`;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `${service}: failed to start: ${message}`;
}
