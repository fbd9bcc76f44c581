/**
 * Group commit for many concurrent callers: each `submit(item)` resolves when the batch holding it
 * has been handled. While `maxConcurrent` batches are in flight, new items wait and go together in
 * the next batch, so under load one database round trip serves hundreds of jobs, and when idle an
 * item goes at once (no timer adds latency).
 *
 * `gatherTurn`: items wait for the end of the current turn of the event loop (`setImmediate`)
 * before a batch leaves, so a burst submitted together (the lines of one job) goes as one batch
 * even when nothing is in flight. For remote calls, where each batch is a request.
 */
interface Waiting<TItem, TResult> {
  item: TItem;
  resolve: (result: TResult) => void;
  reject: (error: unknown) => void;
}

export class Coalescer<TItem, TResult> {
  private queue: Waiting<TItem, TResult>[] = [];
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private turnScheduled = false;

  constructor(
    private readonly handle: (items: TItem[]) => Promise<TResult[]>,
    private readonly options: { maxBatch: number; maxConcurrent: number; gatherTurn?: boolean },
  ) {}

  submit(item: TItem): Promise<TResult> {
    return new Promise<TResult>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.options.gatherTurn) this.pump();
      else if (!this.turnScheduled) {
        this.turnScheduled = true;
        setImmediate(() => {
          this.turnScheduled = false;
          this.pump();
        });
      }
    });
  }

  /** Resolves once nothing is queued or in flight (for shutdown). */
  async idle(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < this.options.maxConcurrent && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight += 1;
      void this.run(batch);
    }
  }

  private async run(batch: Waiting<TItem, TResult>[]): Promise<void> {
    try {
      const results = await this.handle(batch.map((entry) => entry.item));
      batch.forEach((entry, index) => entry.resolve(results[index]));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    } finally {
      this.inFlight -= 1;
      this.pump();
      if (this.queue.length === 0 && this.inFlight === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }
}
