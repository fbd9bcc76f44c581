import { KafkaBroker } from '@scholarpay/kafka-broker';
import { kafkaFor, startTestBroker, uniqueName, waitFor } from '../test/helpers';

jest.setTimeout(60000);

describe('kafka broker: kafkajs round trip', () => {
  let broker: KafkaBroker;

  beforeAll(async () => {
    broker = await startTestBroker({ defaultPartitions: 3 });
  });

  afterAll(async () => {
    await broker.stop();
  });

  it('produces and consumes with a consumer group', async () => {
    const kafka = kafkaFor(broker);
    const topic = uniqueName('roundtrip');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: Array.from({ length: 30 }, (_, i) => ({ key: `k${i % 5}`, value: `v${i}`, headers: { h: `x${i}` } })),
    });
    const consumer = kafka.consumer({ groupId: uniqueName('g') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const got: string[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        got.push(String(message.value));
      },
    });
    await waitFor(() => got.length >= 30, 20000, '30 messages');
    expect(new Set(got).size).toBe(30);
    await consumer.disconnect();
    await producer.disconnect();
  });
});
