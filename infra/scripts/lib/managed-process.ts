import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { REPO_ROOT } from './dev-secrets';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function describeExit(exit: ExitInfo): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/**
 * Delay before restart number `attempt` (1-based): 1 s, 2 s, 4 s … capped at 30 s. A process that
 * stayed up for a while starts again from attempt 1 (the supervisor resets the count).
 */
export function restartDelayMs(attempt: number, baseMs = 1000, maxMs = 30000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

export interface ManagedProcessOptions {
  name: string;
  /** TypeScript entry point, relative to the repository root. */
  entry: string;
  env: NodeJS.ProcessEnv;
  onLine: (line: string, stream: 'stdout' | 'stderr') => void;
}

/**
 * One TypeScript entry point run as its own OS process through ts-node (transpile only), in its
 * own process group: a Ctrl-C in the terminal reaches only `npm start`, which then stops the
 * children in order (services first, broker last).
 */
export class ManagedProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<ExitInfo> | null = null;

  constructor(private readonly options: ManagedProcessOptions) {}

  get name(): string {
    return this.options.name;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process; the promise returned resolves when it exits, however it exits. */
  start(): Promise<ExitInfo> {
    if (this.running) throw new Error(`${this.name} is already running`);
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', this.options.entry],
      {
        cwd: REPO_ROOT,
        env: { ...this.options.env, TS_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.json') },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    this.child = child;
    const forward = (stream: 'stdout' | 'stderr') => (line: string) => this.options.onLine(line, stream);
    const stdout = readline.createInterface({ input: child.stdout!, crlfDelay: Infinity });
    const stderr = readline.createInterface({ input: child.stderr!, crlfDelay: Infinity });
    stdout.on('line', forward('stdout'));
    stderr.on('line', forward('stderr'));
    const streamsClosed = Promise.all([
      new Promise((resolve) => stdout.once('close', resolve)),
      new Promise((resolve) => stderr.once('close', resolve)),
    ]);
    this.exited = new Promise<ExitInfo>((resolve) => {
      child.once('error', (error) => {
        this.options.onLine(`could not start: ${error.message}`, 'stderr');
        resolve({ code: -1, signal: null });
      });
      // 'close' (not 'exit'): every line the process wrote has been forwarded by then.
      child.once('close', (code, signal) => {
        void streamsClosed.then(() => resolve({ code, signal }));
      });
    });
    return this.exited;
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 15000): Promise<ExitInfo | null> {
    const child = this.child;
    const exited = this.exited;
    if (!child || !exited) return null;
    if (!this.running) return exited;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      exited,
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (outcome !== 'timeout') return outcome;
    this.options.onLine(`did not stop within ${graceMs / 1000} s of SIGTERM; killing it`, 'stderr');
    this.kill();
    return exited;
  }

  /** SIGKILL to the whole process group, synchronously (safe in an 'exit' handler). */
  kill(): void {
    const pid = this.child?.pid;
    if (!pid || !this.running) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      this.child?.kill('SIGKILL');
    }
  }
}
