import { QueueBase, Worker } from 'bullmq';

/** How long a service's shutdown waits for one BullMQ worker or queue (npm start allows a service 15 s in all). */
export const BULLMQ_CLOSE_DEADLINE_MS = 8000;

/** A BullMQ Worker, Queue, QueueEvents or FlowProducer. */
export type BullMqClosable = Pick<QueueBase, 'name' | 'close' | 'disconnect'>;

export type BullMqCloseOutcome = 'closed' | 'forced' | 'abandoned';

interface WarnLogger {
  warn(message: unknown, ...rest: unknown[]): void;
}

/**
 * Closes a BullMQ worker or queue, resolving by `deadlineMs` whatever Redis does.
 *
 * BullMQ's graceful `Worker.close()` never returns while Redis is unreachable, and a later
 * `close(true)` only hands back that same pending promise; `disconnect()` waits for a connection
 * that never came. So: when Redis answers, a worker is paused (its running jobs finish and are
 * recorded) and then force-closed; when it does not, the worker is force-closed at once (a job it
 * was running is picked up again when its lock expires). Whatever is still pending at the deadline
 * is disconnected and left behind: the process is exiting.
 */
export async function closeBullMqWithin(
  closable: BullMqClosable | null | undefined,
  { deadlineMs = BULLMQ_CLOSE_DEADLINE_MS, logger }: { deadlineMs?: number; logger: WarnLogger },
): Promise<BullMqCloseOutcome> {
  if (!closable) return 'closed';
  const deadline = Date.now() + deadlineMs;
  const remaining = () => Math.max(0, deadline - Date.now());
  let outcome: BullMqCloseOutcome = 'closed';
  let reachable = false;
  if (closable instanceof Worker) {
    const worker: Worker = closable;
    await settlesWithin(
      worker.getBackend().client.then((client) => {
        reachable = client.status === 'ready';
      }),
      Math.min(1000, deadlineMs / 4),
    );
    if (reachable) {
      // The drain gets all but a quarter of the time; the forced close needs only a moment.
      const pausing = worker.pause();
      if (!(await settlesWithin(pausing, remaining() - deadlineMs / 4))) {
        outcome = 'forced';
        // When the jobs it waited for end, pause() reconnects the worker's blocking connection.
        void pausing
          .catch(() => undefined)
          .then(() => worker.disconnect())
          .catch(() => undefined);
      }
    } else {
      outcome = 'forced';
    }
  }
  // A queue has no jobs of its own to wait for: its close is already the quick one.
  const closing = closable instanceof Worker ? closable.close(true) : closable.close();
  if (!(await settlesWithin(closing, remaining()))) {
    void closable.disconnect().catch(() => undefined);
    logger.warn(
      { queue: closable.name, deadlineMs },
      'BullMQ connection did not close in time; disconnected and left behind',
    );
    return 'abandoned';
  }
  if (outcome === 'forced') {
    logger.warn(
      { queue: closable.name, redisReachable: reachable },
      'BullMQ worker closed without waiting for its running jobs, if any: they run again once their lock expires',
    );
  }
  return outcome;
}

/** Closes several at once, each within the same deadline. */
export async function closeAllBullMqWithin(
  closables: readonly (BullMqClosable | null | undefined)[],
  options: { deadlineMs?: number; logger: WarnLogger },
): Promise<BullMqCloseOutcome[]> {
  return Promise.all(closables.map((closable) => closeBullMqWithin(closable, options)));
}

/**
 * Whether `work` settled within `ms`. A failure counts as settled: a connection error while
 * closing means the connection is gone, which is what closing wanted.
 */
async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      expired,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
