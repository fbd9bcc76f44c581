import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './service-process';

export interface BrokerProcess {
  address: string;
  child: ChildProcess;
  stop: () => Promise<void>;
  crash: () => Promise<void>;
}

/** The embedded broker as its own OS process (`npm run kafka`), on a free port, optionally durable. */
export async function startBrokerProcess(options: { dataDir?: string; port?: number } = {}): Promise<BrokerProcess> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'libs/kafka-broker/src/cli.ts'],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        KAFKA_PORT: String(options.port ?? 0),
        KAFKA_DATA_DIR: options.dataDir ?? '',
        KAFKA_DEFAULT_PARTITIONS: '3',
        KAFKA_LOG_LEVEL: 'warn',
        TS_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.json'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const address = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`broker did not start: ${output}`)), 30000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /KAFKA_BROKER_LISTENING (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`broker exited with ${code}: ${output}`));
    });
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    address,
    child,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    crash: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
