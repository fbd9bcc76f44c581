import { Job, Queue, Worker } from 'bullmq';
import { once } from 'node:events';
import net from 'node:net';
import { redisConnectionOptions } from '../platform.module';
import { closeAllBullMqWithin, closeBullMqWithin } from './close-bullmq';

const REDIS_URL = 'redis://127.0.0.1:6379/14';
const DEADLINE_MS = 3000;
const quiet = { warn: jest.fn() };

let prefixes = 0;
const prefix = () => `close-bullmq-test-${process.pid}-${Date.now()}-${prefixes++}`;

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A TCP relay to the test Redis that can be cut, as a Redis host that goes away would be. */
async function cuttableRedis(): Promise<{ port: number; cut: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(6379, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    cut: async () => {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** Measures how long `work` takes, in ms. */
async function timed(work: () => Promise<unknown>): Promise<{ ms: number; result: unknown }> {
  const started = Date.now();
  const result = await work();
  return { ms: Date.now() - started, result };
}

describe('closeBullMqWithin', () => {
  it('closes a worker and a queue within the deadline while Redis has never been reachable', async () => {
    const connection = { host: '127.0.0.1', port: await deadPort() };
    const queue = new Queue('jobs', { connection, prefix: prefix() });
    const worker = new Worker('jobs', async () => undefined, { connection, prefix: prefix() });
    queue.on('error', () => undefined);
    worker.on('error', () => undefined);
    await once(worker, 'error');

    const { ms, result } = await timed(() =>
      closeAllBullMqWithin([worker, queue], { deadlineMs: DEADLINE_MS, logger: quiet }),
    );

    expect(ms).toBeLessThan(DEADLINE_MS + 500);
    expect(result).toEqual(['forced', 'closed']);
  });

  it('closes them within the deadline when Redis goes away after they connected', async () => {
    const redis = await cuttableRedis();
    const connection = { ...redisConnectionOptions(REDIS_URL), port: redis.port };
    const queue = new Queue('jobs', { connection, prefix: prefix() });
    const worker = new Worker('jobs', async () => undefined, { connection, prefix: prefix() });
    queue.on('error', () => undefined);
    worker.on('error', () => undefined);
    await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
    await redis.cut();
    await new Promise((resolve) => setTimeout(resolve, 500));

    const { ms, result } = await timed(() =>
      closeAllBullMqWithin([worker, queue], { deadlineMs: DEADLINE_MS, logger: quiet }),
    );

    expect(ms).toBeLessThan(DEADLINE_MS + 500);
    expect((result as string[])[0]).toMatch(/^(forced|abandoned)$/);
  });

  it('lets a running job finish, and records it, when Redis answers', async () => {
    const connection = redisConnectionOptions(REDIS_URL);
    const shared = prefix();
    const queue = new Queue('jobs', { connection, prefix: shared });
    let release!: () => void;
    const started = new Promise<void>((resolve) => (release = resolve));
    const worker = new Worker(
      'jobs',
      async (job: Job) => {
        release();
        await new Promise((resolve) => setTimeout(resolve, 1000));
        return `done ${job.id}`;
      },
      { connection, prefix: shared },
    );
    const job = await queue.add('slow', {});
    await started;

    const outcome = await closeBullMqWithin(worker, { deadlineMs: DEADLINE_MS, logger: quiet });

    expect(outcome).toBe('closed');
    expect(await job.getState()).toBe('completed');
    expect((await queue.getJob(job.id!))?.returnvalue).toBe(`done ${job.id}`);
    expect(await closeBullMqWithin(queue, { deadlineMs: DEADLINE_MS, logger: quiet })).toBe('closed');
  });

  it('stops waiting for a job that outlasts the deadline, and leaves it to be picked up again', async () => {
    const connection = redisConnectionOptions(REDIS_URL);
    const shared = prefix();
    const queue = new Queue('jobs', { connection, prefix: shared });
    let release!: () => void;
    const started = new Promise<void>((resolve) => (release = resolve));
    let finishJob!: () => void;
    const worker = new Worker(
      'jobs',
      async () => {
        release();
        await new Promise<void>((resolve) => (finishJob = resolve));
      },
      { connection, prefix: shared },
    );
    worker.on('error', () => undefined);
    const job = await queue.add('endless', {});
    await started;

    const { ms, result } = await timed(() =>
      closeBullMqWithin(worker, { deadlineMs: DEADLINE_MS, logger: quiet }),
    );

    expect(ms).toBeLessThan(DEADLINE_MS + 500);
    expect(result).toBe('forced');
    expect(await job.getState()).toBe('active');
    finishJob();
    await queue.obliterate({ force: true });
    await queue.close();
  });
});
