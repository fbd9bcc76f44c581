/**
 * A chaos monkey for the Gao story: it kills each service in turn with `kill -9` and starts it
 * again on the same port. The moments are tied to the story's progress (the import running, the
 * awards being decided, a batch disbursing, the exam results being imported) plus a seeded random
 * delay, so every service dies while it has work in flight, in a way that replays with the seed.
 */
import { integerBetween, streamFor } from './prng';
import type { StoryApp, StoryStack } from './story-stack';

export interface ChaosStep {
  app: StoryApp;
  /** The kill waits for a progress line of the story matching this (or for the previous step). */
  after: RegExp;
  /** Extra wait after the line, in ms (drawn from the seed). */
  delayMs: number;
}

export interface ChaosRecord {
  app: StoryApp;
  trigger: string;
  killedAt: string;
  restartedAt: string | null;
  error?: string;
}

/** The kills, in order: each service at least once, payments and the provider twice (one per batch). */
export function chaosPlan(seed: number): ChaosStep[] {
  const random = streamFor(seed, 'chaos');
  const delay = (min: number, max: number) => integerBetween(random, min, max);
  return [
    { app: 'enrolment', after: /^▶ Students/, delayMs: delay(200, 1500) },
    { app: 'eligibility', after: /waiting for eligibility to decide/, delayMs: delay(100, 1500) },
    { app: 'payments', after: /approved by/, delayMs: delay(300, 2500) },
    { app: 'mobile-money', after: /disbursing…/, delayMs: delay(200, 2000) },
    { app: 'payments', after: /^▶ Stipends for .*/, delayMs: delay(1500, 4000) },
    { app: 'mobile-money', after: /approved by/, delayMs: delay(500, 3000) },
    { app: 'exams', after: /^▶ National certification exam/, delayMs: delay(300, 2000) },
  ];
}

export class ChaosMonkey {
  readonly records: ChaosRecord[] = [];
  private readonly lines: string[] = [];
  private waiters: (() => void)[] = [];
  private stopped = false;
  private running: Promise<void> | null = null;

  constructor(
    private readonly stack: StoryStack,
    private readonly plan: ChaosStep[],
  ) {}

  /** Give every progress line of the story to the monkey. */
  observe(line: string): void {
    this.lines.push(line);
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  start(): void {
    this.running = this.run();
  }

  /**
   * Carries out the kills whose trigger the story already logged (each service restarted), skips
   * the rest: a story that ends within a step's delay, or while an earlier kill is still
   * restarting, must not spare the service that step was for.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.waiters) wake();
    this.waiters = [];
    await this.running;
  }

  private async run(): Promise<void> {
    let seen = 0;
    for (const step of this.plan) {
      // Wait for a line after the previous kill's trigger that matches this step.
      let match: string | undefined;
      for (;;) {
        const index = this.lines.findIndex(
          (line, position) => position >= seen && step.after.test(line.trim()),
        );
        if (index >= 0) {
          match = this.lines[index];
          seen = index + 1;
          break;
        }
        if (this.stopped) return; // the story is over: no further line will come
        await new Promise<void>((resolve) => this.waiters.push(resolve));
      }
      await new Promise((resolve) => setTimeout(resolve, step.delayMs));
      const record: ChaosRecord = {
        app: step.app,
        trigger: match.trim(),
        killedAt: new Date().toISOString(),
        restartedAt: null,
      };
      this.records.push(record);
      await this.stack.crash(step.app);
      try {
        await this.stack.restart(step.app);
        record.restartedAt = new Date().toISOString();
      } catch (error) {
        record.error = (error as Error).message;
      }
    }
  }
}
