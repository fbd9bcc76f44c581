import cluster, { Worker } from 'node:cluster';

/**
 * Runs `start` in `count` worker processes sharing the HTTP port (node:cluster), or in this process
 * when `count` is 1. A service does this only when all its shared state is in Postgres. The primary
 * does no work: it passes SIGTERM/SIGINT on, and when a worker dies unasked it stops the others and
 * exits 1, so whatever supervises the service (npm start, an orchestrator) restarts it whole.
 */
export async function runInWorkers(count: number, start: () => Promise<unknown>): Promise<void> {
  if (count <= 1 || cluster.isWorker) {
    await start();
    return;
  }
  const workers: Worker[] = Array.from({ length: count }, () => cluster.fork());
  let stopping = false;
  const stopAll = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const worker of workers) if (!worker.isDead()) worker.process.kill(signal);
  };
  process.on('SIGTERM', () => stopAll('SIGTERM'));
  process.on('SIGINT', () => stopAll('SIGINT'));
  cluster.on('exit', (worker, code, signal) => {
    if (!stopping) {
      process.stderr.write(`worker ${worker.process.pid} exited (${signal ?? code}); stopping the others\n`);
      process.exitCode = 1;
      stopAll('SIGTERM');
    }
    if (workers.every((each) => each.isDead())) process.exit();
  });
}
