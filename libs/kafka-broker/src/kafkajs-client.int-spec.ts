import { KafkaBroker } from '@scholarpay/kafka-broker';
import { CompressionTypes, EachMessagePayload, Kafka } from 'kafkajs';
import { kafkaFor, startTestBroker, uniqueName, waitFor } from '../test/helpers';

jest.setTimeout(60000);

/** kafkajs against the embedded broker over TCP: the client features services rely on. */
describe('kafka broker with kafkajs clients', () => {
  let broker: KafkaBroker;
  let kafka: Kafka;

  beforeAll(async () => {
    broker = await startTestBroker({ defaultPartitions: 3 });
    kafka = kafkaFor(broker);
  });

  afterAll(async () => {
    await broker.stop();
  });

  it('listens on the port it advertises (port 0 resolved)', () => {
    expect(broker.port).toBeGreaterThan(0);
    expect(broker.address).toBe(`127.0.0.1:${broker.port}`);
  });

  it('round-trips keys, headers, null values and gzip batches', async () => {
    const topic = uniqueName('roundtrip');
    const producer = kafka.producer();
    await producer.connect();
    const messages = Array.from({ length: 50 }, (_, i) => ({
      key: `key-${i % 7}`,
      value: i === 3 ? null : `value-${i}-${'x'.repeat(i * 10)}`,
      headers: { 'correlation-id': `c-${i}`, binary: Buffer.from([0, 1, 2, i]) },
    }));
    await producer.send({ topic, messages: messages.slice(0, 25), compression: CompressionTypes.None });
    await producer.send({ topic, messages: messages.slice(25), compression: CompressionTypes.GZIP });

    const consumer = kafka.consumer({ groupId: uniqueName('g'), maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const got = new Map<string, EachMessagePayload['message']>();
    await consumer.run({
      eachMessage: async ({ message }) => {
        got.set(String(message.headers?.['correlation-id']), message);
      },
    });
    await waitFor(() => got.size === 50, 20000, 'all 50 messages');
    for (let i = 0; i < 50; i++) {
      const m = got.get(`c-${i}`);
      expect(m?.key?.toString()).toBe(`key-${i % 7}`);
      expect(m?.value === null ? null : m?.value?.toString()).toBe(messages[i].value);
      expect([...(m?.headers?.binary as Buffer)]).toEqual([0, 1, 2, i]);
    }
    await consumer.disconnect();
    await producer.disconnect();
  });

  it('accepts acks 0 (no answer), 1 and -1', async () => {
    const topic = uniqueName('acks');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ value: 'all' }] });
    const one = await producer.send({ topic, acks: 1, messages: [{ value: 'leader' }] });
    expect(one[0].errorCode).toBe(0);
    await producer.send({ topic, acks: 0, messages: [{ value: 'none' }] });
    const admin = kafka.admin();
    await admin.connect();
    await waitFor(async () => (await admin.fetchTopicOffsets(topic)).reduce((n, o) => n + Number(o.high), 0) === 3, 10000, 'three records');
    // The connection that sent acks=0 still works: its next request is answered.
    const after = await producer.send({ topic, acks: -1, messages: [{ value: 'after' }] });
    expect(after[0].errorCode).toBe(0);
    await admin.disconnect();
    await producer.disconnect();
  });

  it('keeps per-partition order across 4 partitions', async () => {
    const topic = uniqueName('order');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 4 }] });
    const producer = kafka.producer();
    await producer.connect();
    const perKey = 60;
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    for (let round = 0; round < 6; round++) {
      await producer.send({
        topic,
        messages: keys.flatMap((k) => Array.from({ length: perKey / 6 }, (_, i) => ({ key: k, value: String(round * (perKey / 6) + i) }))),
      });
    }
    const consumer = kafka.consumer({ groupId: uniqueName('g'), maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen = new Map<string, number[]>();
    const partitionsOfKey = new Map<string, Set<number>>();
    const offsetsByPartition = new Map<number, number[]>();
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const k = String(message.key);
        seen.set(k, [...(seen.get(k) ?? []), Number(message.value)]);
        partitionsOfKey.set(k, new Set([...(partitionsOfKey.get(k) ?? []), partition]));
        offsetsByPartition.set(partition, [...(offsetsByPartition.get(partition) ?? []), Number(message.offset)]);
      },
    });
    await waitFor(() => [...seen.values()].reduce((n, v) => n + v.length, 0) === keys.length * perKey, 20000, 'all ordered messages');
    for (const k of keys) {
      expect(seen.get(k)).toEqual(Array.from({ length: perKey }, (_, i) => i));
      expect(partitionsOfKey.get(k)?.size).toBe(1);
    }
    expect(offsetsByPartition.size).toBeGreaterThanOrEqual(3);
    for (const offsets of offsetsByPartition.values()) {
      expect(offsets).toEqual(Array.from({ length: offsets.length }, (_, i) => i));
    }
    await consumer.disconnect();
    await producer.disconnect();
    await admin.disconnect();
  });

  it('reads fromBeginning or only new records, and seeks', async () => {
    const topic = uniqueName('seek');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: `old-${i}` })) });

    const latest = kafka.consumer({ groupId: uniqueName('latest'), maxWaitTimeInMs: 200 });
    const latestGot: string[] = [];
    await latest.connect();
    await latest.subscribe({ topic, fromBeginning: false });
    let joined = false;
    latest.on(latest.events.GROUP_JOIN, () => {
      joined = true;
    });
    await latest.run({ eachMessage: async ({ message }) => void latestGot.push(String(message.value)) });
    await waitFor(() => joined, 20000, 'latest consumer join');
    // The consumer resolves "latest" when it starts fetching; give it that first fetch.
    await waitFor(async () => {
      const offsets = await admin.fetchOffsets({ groupId: 'unused', topics: [topic] });
      return offsets.length > 0;
    });
    await new Promise((r) => setTimeout(r, 500));
    await producer.send({ topic, messages: [{ value: 'new-0' }] });
    await waitFor(() => latestGot.includes('new-0'), 20000, 'new message');
    expect(latestGot.some((v) => v.startsWith('old-'))).toBe(false);

    const seeker = kafka.consumer({ groupId: uniqueName('seeker'), maxWaitTimeInMs: 200 });
    const seekGot: string[] = [];
    await seeker.connect();
    await seeker.subscribe({ topic, fromBeginning: true });
    let seeked = false;
    await seeker.run({
      eachMessage: async ({ message }) => {
        seekGot.push(String(message.value));
        if (!seeked && seekGot.length === 11) {
          seeked = true;
          seeker.seek({ topic, partition: 0, offset: '7' });
        }
      },
    });
    await waitFor(() => seekGot.length >= 15, 20000, 'messages after seek');
    expect(seekGot.slice(0, 11)).toEqual([...Array.from({ length: 10 }, (_, i) => `old-${i}`), 'new-0']);
    expect(seekGot.slice(11, 15)).toEqual(['old-7', 'old-8', 'old-9', 'new-0']);
    await Promise.all([latest.disconnect(), seeker.disconnect()]);
    await producer.disconnect();
    await admin.disconnect();
  });

  it('resumes a restarted consumer from its committed offset', async () => {
    const topic = uniqueName('resume');
    const groupId = uniqueName('resume-group');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 20 }, (_, i) => ({ key: String(i % 3), value: `a-${i}` })) });

    const first = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
    const firstGot: string[] = [];
    await first.connect();
    await first.subscribe({ topic, fromBeginning: true });
    await first.run({ autoCommitThreshold: 1, eachMessage: async ({ message }) => void firstGot.push(String(message.value)) });
    await waitFor(() => firstGot.length === 20, 20000, 'first 20');
    await first.disconnect(); // commits what it processed

    const admin = kafka.admin();
    await admin.connect();
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    // Partitions that got no message report -1 (nothing committed).
    const total = committed[0].partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
    expect(total).toBe(20);

    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ key: String(i % 3), value: `b-${i}` })) });
    const second = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
    const secondGot: string[] = [];
    await second.connect();
    await second.subscribe({ topic, fromBeginning: true });
    await second.run({ eachMessage: async ({ message }) => void secondGot.push(String(message.value)) });
    await waitFor(() => secondGot.length >= 10, 20000, 'the 10 new messages');
    await new Promise((r) => setTimeout(r, 300));
    expect(secondGot.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `b-${i}`).sort());
    await second.disconnect();
    await producer.disconnect();
    await admin.disconnect();
  });

  it('keeps several groups on one topic independent', async () => {
    const topic = uniqueName('multi');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 15 }, (_, i) => ({ value: String(i) })) });
    const groups = [uniqueName('ga'), uniqueName('gb')];
    const got = groups.map(() => [] as string[]);
    const consumers = groups.map((groupId) => kafka.consumer({ groupId, maxWaitTimeInMs: 200 }));
    await Promise.all(
      consumers.map(async (c, i) => {
        await c.connect();
        await c.subscribe({ topic, fromBeginning: true });
        await c.run({ eachMessage: async ({ message }) => void got[i].push(String(message.value)) });
      }),
    );
    await waitFor(() => got.every((g) => g.length === 15), 20000, 'both groups');
    await Promise.all(consumers.map((c) => c.disconnect()));
    await producer.disconnect();
  });

  it('serves admin: create, list, describe, delete topics, partitions, offsets, configs, groups', async () => {
    const admin = kafka.admin();
    await admin.connect();
    const topic = uniqueName('admin');
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '60000' }] }] })).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] })).toBe(false);
    await expect(admin.createTopics({ topics: [{ topic: uniqueName('rf'), numPartitions: 1, replicationFactor: 3 }] })).rejects.toThrow();
    expect(await admin.listTopics()).toContain(topic);

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'x', value: '1' }, { key: 'y', value: '2' }, { key: 'z', value: '3' }] });
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.map((o) => o.partition).sort()).toEqual([0, 1]);
    expect(offsets.reduce((n, o) => n + Number(o.high), 0)).toBe(3);
    expect(offsets.every((o) => o.low === '0')).toBe(true);

    await admin.createPartitions({ topicPartitions: [{ topic, count: 4 }] });
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0].partitions).toHaveLength(4);

    const cfg = await admin.describeConfigs({ resources: [{ type: 2, name: topic }], includeSynonyms: false });
    const retention = cfg.resources[0].configEntries.find((e) => e.configName === 'retention.ms');
    expect(retention?.configValue).toBe('60000');
    expect(retention?.isDefault).toBe(false);

    const groupId = uniqueName('admin-group');
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '1' }] });
    const fetched = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(fetched[0].partitions.find((p) => p.partition === 0)?.offset).toBe('1');
    expect(fetched[0].partitions.find((p) => p.partition === 1)?.offset).toBe('-1');
    const groups = await admin.listGroups();
    expect(groups.groups.map((g) => g.groupId)).toContain(groupId);
    const described = await admin.describeGroups([groupId]);
    expect(described.groups[0].state).toBe('Empty');
    await admin.deleteGroups([groupId]);
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain(groupId);

    await admin.deleteTopics({ topics: [topic] });
    expect(await admin.listTopics()).not.toContain(topic);
    await producer.disconnect();
    await admin.disconnect();
  });

  it('serves admin record deletion and offsets by timestamp', async () => {
    const topic = uniqueName('records');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const producer = kafka.producer();
    await producer.connect();
    const t0 = Date.now() - 10000;
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: `r${i}`, timestamp: String(t0 + i * 1000) })) });
    const byTime = await admin.fetchTopicOffsetsByTimestamp(topic, t0 + 4500);
    expect(byTime[0].offset).toBe('5');
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '4' }] });
    const [o] = await admin.fetchTopicOffsets(topic);
    expect(o.low).toBe('4');
    expect(o.high).toBe('10');
    const consumer = kafka.consumer({ groupId: uniqueName('records-g'), maxWaitTimeInMs: 100 });
    const got: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void got.push(String(message.value)) });
    await waitFor(() => got.length >= 6, 20000, 'records after the deleted ones');
    expect(got[0]).toBe('r4');
    await consumer.disconnect();
    await producer.disconnect();
    await admin.disconnect();
  });
});
