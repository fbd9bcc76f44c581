import { Controller, Module } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { Topics } from '@scholarpay/contracts';
import { startBroker } from '@scholarpay/kafka-broker';
import { MessagingModule, messagingEntities, messagingMigrations } from '@scholarpay/messaging';
import { baseServiceConfigSchema, loadConfig, PlatformModule, RunningServiceApp, startService } from '@scholarpay/platform';
import { createTestDatabase, KafkaTestBroker, serviceTestEnv, startTestBroker, testRedisUrl, waitFor } from '@scholarpay/testing';

const database = { schema: 'kafkahealth', entities: [...messagingEntities], migrations: [...messagingMigrations] };

@Controller()
class IdleConsumer {
  @EventPattern(Topics.studentEvents)
  onStudentEvent(): void {}
}

interface HealthAnswer {
  status: number;
  body: { status: string; checks: Record<string, { status: string; error?: string }> };
}

describe('readiness tells the truth about Kafka', () => {
  let broker: KafkaTestBroker;
  let service: RunningServiceApp;

  beforeAll(async () => {
    broker = await startTestBroker();
    const env = serviceTestEnv({ databaseUrl: await createTestDatabase('kafkahealth'), kafkaBrokers: broker.address, redisUrl: testRedisUrl(1) });
    const config = loadConfig('kafkahealth', baseServiceConfigSchema, env);
    @Module({
      imports: [
        PlatformModule.forService({ service: 'kafkahealth', config, database }),
        MessagingModule.forService({ service: 'kafkahealth', brokers: config.KAFKA_BROKERS, logLevel: 'silent' }),
      ],
      controllers: [IdleConsumer],
    })
    class TestModule {}
    service = await startService({ service: 'kafkahealth', title: 't', description: 't', port: 0, config, database, rootModule: TestModule, kafkaGroupId: 'kafkahealth' });
  });

  afterAll(async () => {
    await service?.app.close();
    await broker?.stop().catch(() => undefined);
  });

  async function health(): Promise<HealthAnswer> {
    const response = await fetch(`${service.url}/health`);
    return { status: response.status, body: (await response.json()) as HealthAnswer['body'] };
  }

  it('reports Kafka down soon after the broker stops, with nothing to publish, and up again once it is back', async () => {
    await waitFor(async () => (await health()).status === 200, { description: 'the service ready', timeoutMs: 30000 });
    const ready = await health();
    expect(ready.body.checks.kafka.status).toBe('up');
    expect(ready.body.checks['kafka-consumer'].status).toBe('up');

    await broker.stop();
    // The outbox is empty, so only the health check itself can notice (it caches its answer for 5 s).
    await waitFor(async () => (await health()).status === 503, { description: 'readiness to fail', timeoutMs: 20000 });
    const down = await health();
    expect(down.body.status).toBe('error');
    expect(down.body.checks.kafka).toMatchObject({ status: 'down', error: expect.stringContaining('the Kafka cluster does not answer') });

    broker = await startBroker({ port: Number(broker.address.split(':').pop()), host: '127.0.0.1', defaultPartitions: 3 });
    await waitFor(async () => (await health()).status === 200, { description: 'readiness back with the broker', timeoutMs: 30000 });
  });
});
