/**
 * Group commit for fsync: every caller waiting when a sync starts is answered by that one sync.
 * A sync starts at the end of the current event-loop turn (so all requests read from the sockets
 * in one turn share it), or after `delayMs` when nobody is blocked on it. Up to `maxInFlight`
 * syncs overlap, so a caller that arrives while one is running does not wait for it to finish
 * before its own starts (on Linux an fdatasync covers every write made before it was called,
 * including pages another fdatasync is already writing back).
 */
export class GroupSync {
  private waiters: Array<(err: Error | null) => void> = [];
  private inFlight = 0;
  private closed = false;
  private scheduled: NodeJS.Immediate | NodeJS.Timeout | null = null;

  constructor(
    private readonly doSync: (done: (err: Error | null) => void) => void,
    private readonly maxInFlight = 2,
    private readonly delayMs = 0,
  ) {}

  request(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('closed'));
    return new Promise((resolve, reject) => {
      this.waiters.push((err) => (err ? reject(err) : resolve()));
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    const run = (): void => {
      this.scheduled = null;
      this.kick();
    };
    if (this.delayMs > 0) {
      const t = setTimeout(run, this.delayMs);
      t.unref();
      this.scheduled = t;
    } else {
      this.scheduled = setImmediate(run);
    }
  }

  private kick(): void {
    while (!this.closed && this.inFlight < this.maxInFlight && this.waiters.length > 0) {
      const batch = this.waiters;
      this.waiters = [];
      this.inFlight++;
      let called = false;
      this.doSync((err) => {
        if (called) return;
        called = true;
        this.inFlight--;
        for (const w of batch) w(err);
        if (this.waiters.length > 0) this.schedule();
      });
    }
  }

  get idle(): boolean {
    return this.inFlight === 0 && this.waiters.length === 0;
  }

  /** Fails whoever still waits (the store is closing). */
  close(err: Error | null = new Error('closed')): void {
    this.closed = true;
    if (this.scheduled) {
      clearTimeout(this.scheduled as NodeJS.Timeout);
      clearImmediate(this.scheduled as NodeJS.Immediate);
      this.scheduled = null;
    }
    const batch = this.waiters;
    this.waiters = [];
    for (const w of batch) w(err);
  }
}
