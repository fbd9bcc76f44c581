import { KafkaBroker } from '@scholarpay/kafka-broker';
import { Kafka, logLevel } from 'kafkajs';
import { FrameProxy } from '../../test/frame-proxy';
import { kafkaFor, startTestBroker, uniqueName, waitFor } from '../../test/helpers';

jest.setTimeout(60000);

const PRODUCE = 0;

/**
 * The broker appends a batch but its answer is lost; the idempotent producer resends the same
 * sequence numbers; the broker answers with the first offsets and does not append again.
 */
describe('idempotent producer retry', () => {
  let broker: KafkaBroker;
  let proxy: FrameProxy;

  beforeAll(async () => {
    broker = await startTestBroker();
  });

  afterAll(async () => {
    await proxy?.stop();
    await broker.stop();
  });

  it('writes each record once when the first answer is lost', async () => {
    const topic = uniqueName('idem');
    const admin = kafkaFor(broker).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });

    let dropped = 0;
    proxy = new FrameProxy(
      { host: '127.0.0.1', port: broker.port },
      { onRequest: (apiKey) => (apiKey === PRODUCE && dropped++ < 1 ? 'drop-response' : 'forward') },
    );
    const viaProxy = await proxy.start();
    const kafka = new Kafka({ clientId: 'idem', brokers: [viaProxy], logLevel: logLevel.NOTHING, retry: { initialRetryTime: 50, retries: 10 } });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();

    const first = await producer.send({ topic, acks: -1, messages: Array.from({ length: 5 }, (_, i) => ({ value: `m${i}` })) });
    expect(dropped).toBeGreaterThanOrEqual(2); // the lost attempt and the retry both went through the proxy
    expect(first[0].baseOffset).toBe('0');
    const second = await producer.send({ topic, acks: -1, messages: [{ value: 'm5' }] });
    expect(second[0].baseOffset).toBe('5');

    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets[0].high).toBe('6');

    const consumer = kafkaFor(broker).consumer({ groupId: uniqueName('idem-g'), maxWaitTimeInMs: 200 });
    const got: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void got.push(String(message.value)) });
    await waitFor(() => got.length >= 6, 20000, 'six records');
    await new Promise((r) => setTimeout(r, 300));
    expect(got).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    await consumer.disconnect();
    await producer.disconnect();
    await admin.disconnect();
  });
});
