import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { waitFor } from './wait-for';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

export interface ServiceProcess {
  name: string;
  url: string;
  child: ChildProcess;
  output: () => string;
  /** kill -9: no shutdown hooks, no goodbye to Kafka. */
  crash: () => Promise<void>;
  /** SIGTERM and wait for a clean exit. */
  stop: () => Promise<void>;
}

/**
 * `SERVICE_CPU_PROFILE_DIR=/tmp/prof npm run bench:…` writes a V8 CPU profile of every service a
 * test or benchmark starts (on a clean stop), to see where a service's time goes.
 */
function cpuProfileArgs(): string[] {
  const directory = process.env.SERVICE_CPU_PROFILE_DIR;
  return directory ? ['--cpu-prof', `--cpu-prof-dir=${directory}`] : [];
}

/**
 * Starts one service as its own OS process (`apps/<name>/src/main.ts` through ts-node), as
 * `npm start` does, and waits until /health/live answers on the given port.
 */
export async function startServiceProcess(
  name: string,
  env: Record<string, string>,
  port: number,
): Promise<ServiceProcess> {
  const child = spawn(
    process.execPath,
    [
      ...cpuProfileArgs(),
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      `apps/${name}/src/main.ts`,
    ],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ...env,
        PORT: String(port),
        TS_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.json'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor(
    async () => {
      if (child.exitCode !== null)
        throw new Error(`${name} exited with ${child.exitCode}: ${output.slice(-2000)}`);
      const response = await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(2000) }).catch(
        () => null,
      );
      return response?.ok === true;
    },
    { timeoutMs: 60000, intervalMs: 200, description: `${name} to start` },
  ).catch((error: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${error.message}\n--- ${name} output ---\n${output.slice(-3000)}`);
  });
  return {
    name,
    url,
    child,
    output: () => output,
    crash: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 10000)))]);
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
