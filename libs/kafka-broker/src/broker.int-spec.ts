import * as net from 'node:net';
import * as path from 'node:path';
import { startBroker } from '@scholarpay/kafka-broker';
import { kafkaFor, startTestBroker, uniqueName, waitFor, withTempDir } from '../test/helpers';

jest.setTimeout(60000);

/** Lifecycle, data directory and retention of an in-process broker. */
describe('broker lifecycle', () => {
  let tmp: { dir: string; cleanup: () => void };
  beforeAll(async () => {
    tmp = await withTempDir();
  });
  afterAll(() => tmp.cleanup());

  it('keeps topics, records and committed offsets across stop and start on one data directory', async () => {
    const dataDir = path.join(tmp.dir, 'restart');
    const topic = uniqueName('restart');
    const groupId = uniqueName('restart-g');
    let broker = await startTestBroker({ dataDir, defaultPartitions: 2 });
    let kafka = kafkaFor(broker);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ key: String(i), value: `v${i}` })) });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let n = 0;
    await consumer.run({ eachMessage: async () => void n++ });
    await waitFor(() => n === 10, 20000, '10 records');
    await consumer.disconnect();
    await broker.stop();

    broker = await startTestBroker({ dataDir });
    kafka = kafkaFor(broker);
    const admin = kafka.admin();
    await admin.connect();
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0].partitions).toHaveLength(2);
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.reduce((s, o) => s + Number(o.high), 0)).toBe(10);
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed[0].partitions.reduce((s, p) => s + Math.max(0, Number(p.offset)), 0)).toBe(10);
    await admin.disconnect();
    await broker.stop();
  });

  it('refuses a second broker on the same data directory, and a port already taken', async () => {
    const dataDir = path.join(tmp.dir, 'locked');
    const first = await startTestBroker({ dataDir });
    await expect(startBroker({ port: 0, dataDir })).rejects.toThrow(/DATA_DIR_LOCKED/);
    await expect(startBroker({ port: first.port, host: '127.0.0.1' })).rejects.toThrow(/EADDRINUSE/);
    await first.stop();
    const again = await startTestBroker({ dataDir });
    await again.stop();
  });

  it('closes client connections on stop and frees its port', async () => {
    const broker = await startTestBroker();
    const socket = net.connect(broker.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const closed = new Promise((r) => socket.once('close', r));
    await broker.stop();
    await closed;
    const reuse = await startBroker({ port: broker.port, host: '127.0.0.1' });
    expect(reuse.port).toBe(broker.port);
    await reuse.stop();
  });

  it('applies size retention from its options: old segments go, the start offset moves', async () => {
    const broker = await startTestBroker({
      dataDir: path.join(tmp.dir, 'retention'),
      segmentBytes: 16 * 1024,
      retentionBytes: 32 * 1024,
      retentionCheckIntervalMs: 50,
    });
    const kafka = kafkaFor(broker);
    const topic = uniqueName('retained');
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < 20; i++) {
      await producer.send({ topic, messages: Array.from({ length: 10 }, () => ({ value: Buffer.alloc(500, 1) })) });
    }
    const admin = kafka.admin();
    await admin.connect();
    await waitFor(async () => Number((await admin.fetchTopicOffsets(topic))[0].low) > 0, 20000, 'retention to move the start offset');
    const [o] = await admin.fetchTopicOffsets(topic);
    expect(Number(o.high)).toBe(200);
    // A consumer from the beginning starts at the new start offset.
    const consumer = kafka.consumer({ groupId: uniqueName('ret-g'), maxWaitTimeInMs: 100 });
    const offsets: number[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void offsets.push(Number(message.offset)) });
    await waitFor(() => offsets.includes(199), 20000, 'the last record');
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(Number(o.low));
    await consumer.disconnect();
    await producer.disconnect();
    await admin.disconnect();
    await broker.stop();
  });
});
