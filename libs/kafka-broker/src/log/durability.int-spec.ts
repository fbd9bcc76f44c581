import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChildProcess } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { killHard, spawnTs, watchLines } from '../../test/child-process';
import { uniqueName, waitFor, withTempDir } from '../../test/helpers';

jest.setTimeout(120000);

const CLI = 'libs/kafka-broker/src/cli.ts';

async function startCli(dataDir: string): Promise<{ child: ChildProcess; address: string }> {
  const child = spawnTs(CLI, { KAFKA_PORT: '0', KAFKA_DATA_DIR: dataDir, KAFKA_LOG_LEVEL: 'error', KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS: '1000' });
  const m = await watchLines(child).waitFor(/^KAFKA_BROKER_LISTENING (\S+)$/, 60000);
  return { child, address: m[1] };
}

function client(address: string): Kafka {
  return new Kafka({ clientId: 'durability', brokers: [address], logLevel: logLevel.NOTHING, retry: { initialRetryTime: 50, retries: 5 } });
}

async function readAll(kafka: Kafka, topic: string, expected: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 200 });
  const got: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void got.push(String(message.value)) });
  await waitFor(() => got.length >= expected, 30000, `${expected} records`);
  await new Promise((r) => setTimeout(r, 300));
  await consumer.disconnect();
  return got;
}

/**
 * The broker runs as a child process (`npm run kafka`'s entry point) on a data directory and is
 * killed with SIGKILL: acknowledged records (acks=-1) and committed offsets are there after a
 * restart; a torn write at the tail of a segment is cut on recovery and never served.
 */
describe('durability across kill -9', () => {
  const children: ChildProcess[] = [];
  let tmp: { dir: string; cleanup: () => void };

  beforeAll(async () => {
    tmp = await withTempDir();
  });

  afterAll(async () => {
    for (const c of children) await killHard(c);
    tmp.cleanup();
  });

  it('keeps acknowledged records and committed offsets, and cuts a torn tail', async () => {
    const dataDir = path.join(tmp.dir, 'data');
    const topic = 'durable-topic';
    const groupId = 'durable-group';

    // 1. First life: produce with acks=-1, consume part and commit.
    let b = await startCli(dataDir);
    children.push(b.child);
    let kafka = client(b.address);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    const producer = kafka.producer();
    await producer.connect();
    const values = Array.from({ length: 200 }, (_, i) => `rec-${i}`);
    for (let i = 0; i < values.length; i += 50) {
      await producer.send({ topic, acks: -1, messages: values.slice(i, i + 50).map((v, j) => ({ key: `k${(i + j) % 10}`, value: v })) });
    }
    const high = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({ groupId, topic, partitions: high.map((p) => ({ partition: p.partition, offset: String(Math.floor(Number(p.high) / 2)) })) });
    const committed = (await admin.fetchOffsets({ groupId, topics: [topic] }))[0].partitions;
    await producer.disconnect();
    await admin.disconnect();

    // 2. kill -9, restart on the same directory (a new port).
    await killHard(b.child);
    b = await startCli(dataDir);
    children.push(b.child);
    kafka = client(b.address);
    const admin2 = kafka.admin();
    await admin2.connect();
    const high2 = await admin2.fetchTopicOffsets(topic);
    expect(high2.map((p) => p.high).sort()).toEqual(high.map((p) => p.high).sort());
    const after = (await admin2.fetchOffsets({ groupId, topics: [topic] }))[0].partitions;
    expect(after.sort((x, y) => x.partition - y.partition)).toEqual(committed.sort((x, y) => x.partition - y.partition));
    expect((await readAll(kafka, topic, 200)).sort()).toEqual([...values].sort());
    await admin2.disconnect();

    // 3. kill -9 again and tear the tail of partition 0's segment: half a batch of garbage.
    await killHard(b.child);
    const segDir = path.join(dataDir, 'logs', `${topic}-0`);
    const segFile = path.join(segDir, fs.readdirSync(segDir).filter((f) => f.endsWith('.log')).sort()[0]);
    const goodSize = fs.statSync(segFile).size;
    const tail = Buffer.alloc(37, 0xab);
    tail.writeBigInt64BE(BigInt(high.find((p) => p.partition === 0)?.high ?? 0), 0);
    tail.writeInt32BE(500, 8); // claims 500 bytes follow: a torn write
    fs.appendFileSync(segFile, tail);

    b = await startCli(dataDir);
    children.push(b.child);
    expect(fs.statSync(segFile).size).toBe(goodSize);
    kafka = client(b.address);
    const admin3 = kafka.admin();
    await admin3.connect();
    const high3 = await admin3.fetchTopicOffsets(topic);
    expect(high3.map((p) => p.high).sort()).toEqual(high.map((p) => p.high).sort());
    // Appends continue where the valid log ends.
    const producer3 = kafka.producer();
    await producer3.connect();
    const [res] = await producer3.send({ topic, acks: -1, messages: [{ key: 'k0', value: 'after-recovery' }] });
    expect(res.baseOffset).toBe(high.find((p) => p.partition === res.partition)?.high);
    const all = await readAll(kafka, topic, 201);
    expect(all.sort()).toEqual([...values, 'after-recovery'].sort());
    await producer3.disconnect();
    await admin3.disconnect();
    await killHard(b.child);
  });
});
