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

export function describeStartupFailure(service: string, error: unknown): string {
  if (error instanceof ConfigValidationError) return error.message;
  const code = (error as { code?: string }).code;
  const address = (error as { address?: string; port?: number }).address;
  const port = (error as { port?: number }).port;
  if (code === 'ECONNREFUSED' && port === 5432) {
    return `${service}: cannot reach PostgreSQL at ${address}:${port}. Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`;
  }
  if (code === 'ECONNREFUSED' && port === 6379) {
    return `${service}: cannot reach Redis at ${address}:${port}. Start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no`;
  }
  if (code === 'EADDRINUSE') {
    return `${service}: port ${port} is already in use; stop the other process or set this service's port variable`;
  }
  const message = error instanceof Error ? error.stack ?? error.message : String(error);
  return `${service}: failed to start: ${message}`;
}
