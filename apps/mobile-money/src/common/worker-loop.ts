import { Logger } from '@nestjs/common';
import { safeError } from './safe-error';

/**
 * A background loop over a database queue: runs `step` while it reports a full batch, otherwise
 * sleeps until woken (work was just written by this process) or until `idleMs` pass (work written
 * by another instance, or due later). Errors back off exponentially; `stop` waits for the current step.
 */
export class WorkerLoop {
  private running = false;
  private loop: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private wakeAtMs = Number.POSITIVE_INFINITY;
  private resolveSleep: (() => void) | null = null;
  private pendingWake = false;

  constructor(
    private readonly name: string,
    /** Does one batch; returns true when there may be more to do right away. */
    private readonly step: () => Promise<boolean>,
    private readonly idleMs: number,
    private readonly logger = new Logger(name),
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeNow();
    await this.loop;
    this.loop = null;
  }

  /** Asks for a pass in `ms` (sooner requests win). */
  wakeIn(ms: number): void {
    if (ms <= 0) return this.wakeNow();
    const at = Date.now() + ms;
    if (at >= this.wakeAtMs) return;
    this.wakeAtMs = at;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wakeNow(), ms);
  }

  wakeNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.wakeAtMs = Number.POSITIVE_INFINITY;
    if (this.resolveSleep) this.resolveSleep();
    else this.pendingWake = true;
  }

  private async run(): Promise<void> {
    let backoffMs = 100;
    while (this.running) {
      let more: boolean;
      try {
        more = await this.step();
        backoffMs = 100;
      } catch (error) {
        if (!this.running) break;
        this.logger.warn({ error: safeError(error), backoffMs }, `${this.name} pass failed; retrying`);
        await this.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 10_000);
        continue;
      }
      if (!more && this.running) await this.sleep(this.idleMs);
    }
    if (this.timer) clearTimeout(this.timer);
  }

  private sleep(ms: number): Promise<void> {
    if (this.pendingWake) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = () => {
        if (timer) clearTimeout(timer);
        this.resolveSleep = null;
        resolve();
      };
      timer = setTimeout(done, ms);
      this.resolveSleep = done;
    });
  }
}
