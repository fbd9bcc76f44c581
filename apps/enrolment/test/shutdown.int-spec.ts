import {
  createTestDatabase,
  freePort,
  KafkaTestBroker,
  serviceTestEnv,
  startServiceProcess,
  startTestBroker,
} from '@scholarpay/testing';
import { once } from 'node:events';

/**
 * SIGTERM stops the service, and says so, even while Redis cannot be reached: BullMQ's own close
 * then never returns, and the process used to stay up (answering /health/live) until killed.
 */
describe('enrolment: stopping while Redis is unreachable', () => {
  let broker: KafkaTestBroker;

  beforeAll(async () => {
    broker = await startTestBroker();
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it('exits on SIGTERM, logging "shutting down" and "stopped"', async () => {
    const databaseUrl = await createTestDatabase('enrolment_shutdown');
    const service = await startServiceProcess(
      'enrolment',
      serviceTestEnv({
        databaseUrl,
        kafkaBrokers: broker.address,
        redisUrl: `redis://127.0.0.1:${await freePort()}`,
        extra: { LOG_LEVEL: 'info' },
      }),
      await freePort(),
    );
    // Let the import worker and queue try (and fail) to connect, as they would in production.
    await new Promise((resolve) => setTimeout(resolve, 2000));

    // 'close', not 'exit': the last lines may still be in the pipe when the process has exited.
    const exited = once(service.child, 'close');
    service.child.kill('SIGTERM');
    let fallback: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      exited.then(() => 'exited'),
      new Promise((resolve) => (fallback = setTimeout(() => resolve('still running'), 30000))),
    ]);
    clearTimeout(fallback);
    if (outcome !== 'exited') {
      service.child.kill('SIGKILL');
      await exited;
    }

    expect(outcome).toBe('exited');
    expect(service.child.exitCode).toBe(0);
    const messages = service
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => (JSON.parse(line) as { msg?: string }).msg);
    expect(messages).toContain('shutting down');
    expect(messages).toContain('stopped');
  });
});
