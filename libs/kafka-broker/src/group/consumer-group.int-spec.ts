import { KafkaBroker } from '@scholarpay/kafka-broker';
import { Consumer, Kafka } from 'kafkajs';
import * as path from 'node:path';
import { killHard, spawnTs, watchLines } from '../../test/child-process';
import { kafkaFor, startTestBroker, uniqueName, waitFor } from '../../test/helpers';

jest.setTimeout(90000);

/**
 * Three consumers of one group over six partitions. One leaves cleanly (LeaveGroup), one is
 * killed with SIGKILL and must be dropped after its session timeout. Nothing produced is lost:
 * the survivor ends up owning every partition and reads what the others did not commit.
 */
describe('consumer group rebalancing with kafkajs', () => {
  let broker: KafkaBroker;
  let kafka: Kafka;

  beforeAll(async () => {
    broker = await startTestBroker();
    kafka = kafkaFor(broker);
  });

  afterAll(async () => {
    await broker.stop();
  });

  it('survives a member leaving and a member being killed, losing nothing', async () => {
    const topic = uniqueName('group6');
    const groupId = uniqueName('g3');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 6 }] });
    const producer = kafka.producer();
    await producer.connect();

    const seen = new Map<string, Set<string>>(); // value -> consumers that saw it
    const note = (who: string, v: string): void => {
      seen.set(v, new Set([...(seen.get(v) ?? []), who]));
    };
    const assignments = new Map<string, number[]>();

    const makeConsumer = async (name: string): Promise<Consumer> => {
      const c = kafka.consumer({ groupId, sessionTimeout: 3000, heartbeatInterval: 300, rebalanceTimeout: 5000, maxWaitTimeInMs: 200 });
      c.on(c.events.GROUP_JOIN, (e) => assignments.set(name, e.payload.memberAssignment[topic] ?? []));
      await c.connect();
      await c.subscribe({ topic, fromBeginning: true });
      await c.run({ autoCommitInterval: 100, eachMessage: async ({ message }) => note(name, String(message.value)) });
      return c;
    };

    const a = await makeConsumer('a');
    const b = await makeConsumer('b');
    const child = spawnTs(path.join('libs/kafka-broker/test/consumer-child.ts'), { BROKER: broker.address, TOPIC: topic, GROUP_ID: groupId });
    const lines = watchLines(child, (line) => {
      if (line.startsWith('MSG ')) note('c', (JSON.parse(line.slice(4)) as { v: string }).v);
    });
    try {
      await lines.waitFor(/^READY$/, 60000);
      await waitFor(async () => {
        const d = await admin.describeGroups([groupId]);
        return d.groups[0].state === 'Stable' && d.groups[0].members.length === 3;
      }, 30000, 'a stable group of three');

      const produce = async (prefix: string, n: number): Promise<string[]> => {
        const values = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
        await producer.send({ topic, messages: values.map((v, i) => ({ key: `k${i % 12}`, value: v })) });
        return values;
      };
      const wave1 = await produce('w1', 300);
      await waitFor(() => wave1.every((v) => seen.has(v)), 30000, 'wave 1 consumed');
      const byConsumer = new Set([...seen.values()].flatMap((s) => [...s]));
      expect(byConsumer).toEqual(new Set(['a', 'b', 'c']));

      // a leaves cleanly, c dies without a word.
      await a.disconnect();
      await killHard(child);
      const wave2 = await produce('w2', 300);
      await waitFor(() => wave2.every((v) => seen.has(v)), 45000, 'wave 2 consumed after the rebalance');
      await waitFor(async () => {
        const d = await admin.describeGroups([groupId]);
        return d.groups[0].state === 'Stable' && d.groups[0].members.length === 1;
      }, 30000, 'the group down to one member');
      expect(assignments.get('b')?.sort()).toEqual([0, 1, 2, 3, 4, 5]);
      const wave3 = await produce('w3', 60);
      await waitFor(() => wave3.every((v) => seen.get(v)?.has('b')), 30000, 'wave 3 consumed by b');
      for (const v of [...wave1, ...wave2, ...wave3]) expect(seen.has(v)).toBe(true);
    } finally {
      await killHard(child);
      await b.disconnect();
      await producer.disconnect();
      await admin.disconnect();
    }
  });
});
