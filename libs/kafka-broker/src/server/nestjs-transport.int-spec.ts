import 'reflect-metadata';
import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientKafka, EventPattern, MessagePattern, MicroserviceOptions, Payload, Transport } from '@nestjs/microservices';
import { KafkaBroker } from '@scholarpay/kafka-broker';
import { logLevel } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { startTestBroker, waitFor } from '../../test/helpers';

jest.setTimeout(90000);

const EVENT_TOPIC = 'kafka-broker-test.scholar.registered.v1';
const SUM_TOPIC = 'kafka-broker-test.math.sum';

const received: unknown[] = [];

@Controller()
class TestHandlers {
  @EventPattern(EVENT_TOPIC)
  onRegistered(@Payload() data: unknown): void {
    received.push(data);
  }

  @MessagePattern(SUM_TOPIC)
  sum(@Payload() data: { numbers: number[] }): { sum: number } {
    return { sum: data.numbers.reduce((a, b) => a + b, 0) };
  }
}

@Module({ controllers: [TestHandlers] })
class TestModule {}

/** The NestJS Kafka transport (ServerKafka + ClientKafka) cannot tell the broker from Kafka. */
describe('NestJS Kafka transport on the embedded broker', () => {
  let broker: KafkaBroker;
  let app: INestMicroservice;
  let client: ClientKafka;

  beforeAll(async () => {
    broker = await startTestBroker();
    app = await NestFactory.createMicroservice<MicroserviceOptions>(TestModule, {
      logger: false,
      transport: Transport.KAFKA,
      options: {
        client: { clientId: 'nest-test', brokers: [broker.address], logLevel: logLevel.NOTHING },
        consumer: { groupId: 'nest-test', sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 200 },
      },
    });
    await app.listen();
    client = new ClientKafka({
      client: { clientId: 'nest-caller', brokers: [broker.address], logLevel: logLevel.NOTHING },
      consumer: { groupId: 'nest-caller', sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 200 },
    });
    client.subscribeToResponseOf(SUM_TOPIC);
    await client.connect();
    await waitFor(() => Object.keys(client.getConsumerAssignments()).length > 0, 30000, 'reply topic assignment');
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await broker?.stop();
  });

  it('delivers an emitted event to an @EventPattern handler', async () => {
    await lastValueFrom(client.emit(EVENT_TOPIC, { key: 'student-1', value: { studentId: 'student-1', name: 'Aminata' } }));
    await waitFor(() => received.length > 0, 30000, 'the event');
    expect(received[0]).toEqual({ studentId: 'student-1', name: 'Aminata' });
  });

  it('answers a ClientKafka request through an @MessagePattern handler', async () => {
    const result = await lastValueFrom(client.send<{ sum: number }>(SUM_TOPIC, { numbers: [1, 2, 3, 4] }));
    expect(result).toEqual({ sum: 10 });
    const again = await Promise.all([5, 6, 7].map((n) => lastValueFrom(client.send<{ sum: number }>(SUM_TOPIC, { numbers: [n, n] }))));
    expect(again.map((r) => r.sum)).toEqual([10, 12, 14]);
  });
});
