import { validateTopicName } from '../../log/log-manager';
import { validateTopicConfig } from '../../log/topic-config';
import { ApiHandler } from '../api';
import { ApiKey } from '../api-keys';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

interface Result {
  name: string;
  errorCode: number;
  message: string | null;
}

export const createTopicsApi: ApiHandler = {
  key: ApiKey.CreateTopics,
  name: 'CreateTopics',
  minVersion: 0,
  maxVersion: 3,
  handle(r, ctx) {
    const v = ctx.apiVersion;
    const { core } = ctx;
    const topics = r.array((x) => ({
      name: x.string(),
      numPartitions: x.int32(),
      replicationFactor: x.int16(),
      assignments: x.array((y) => ({ partition: y.int32(), brokers: y.array((z) => z.int32()) })),
      configs: x.array((y) => ({ name: y.string(), value: y.nullableString() })),
    }));
    r.int32(); // timeout
    const validateOnly = v >= 1 ? r.bool() : false;

    const seen = new Map<string, number>();
    for (const t of topics) seen.set(t.name, (seen.get(t.name) ?? 0) + 1);

    const results = topics.map((t): Result => {
      const fail = (errorCode: number, message: string): Result => ({ name: t.name, errorCode, message });
      if ((seen.get(t.name) ?? 0) > 1) return fail(ErrorCode.INVALID_REQUEST, `Create topics request from client contains multiple entries for topic ${t.name}`);
      const nameProblem = validateTopicName(t.name);
      if (nameProblem) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, nameProblem);
      if (core.logs.get(t.name)) return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`);
      let partitions = t.numPartitions;
      if (t.assignments.length > 0) {
        if (t.numPartitions !== -1 || t.replicationFactor !== -1) {
          return fail(ErrorCode.INVALID_REQUEST, 'Both numPartitions or replicationFactor and replicasAssignments were set.');
        }
        const ids = t.assignments.map((a) => a.partition).sort((a, b) => a - b);
        if (ids.length > core.options.maxPartitionsPerTopic) return fail(ErrorCode.INVALID_PARTITIONS, 'Too many partitions.');
        if (ids.some((p, i) => p !== i)) return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Partitions should be a consecutive 0-based integer sequence');
        if (t.assignments.some((a) => a.brokers.length !== 1 || a.brokers[0] !== core.options.nodeId)) {
          return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Unknown broker in replica assignment; the only broker is ${core.options.nodeId}`);
        }
        partitions = t.assignments.length;
      } else {
        if (partitions === -1) partitions = core.options.defaultPartitions;
        if (partitions <= 0) return fail(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
        if (partitions > core.options.maxPartitionsPerTopic) {
          return fail(ErrorCode.INVALID_PARTITIONS, `Number of partitions is above this broker's limit of ${core.options.maxPartitionsPerTopic}.`);
        }
        if (t.replicationFactor !== -1 && t.replicationFactor <= 0) {
          return fail(ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0.');
        }
        if (t.replicationFactor > 1) {
          return fail(ErrorCode.INVALID_REPLICATION_FACTOR, `Replication factor: ${t.replicationFactor} larger than available brokers: 1.`);
        }
      }
      const configs: Record<string, string> = {};
      for (const c of t.configs) {
        const problem = validateTopicConfig(c.name, c.value);
        if (problem) return fail(ErrorCode.INVALID_CONFIG, problem);
        if (c.value !== null) configs[c.name] = c.value;
      }
      if (!validateOnly) core.logs.create(t.name, partitions, configs);
      return { name: t.name, errorCode: ErrorCode.NONE, message: null };
    });

    const w = new Writer();
    if (v >= 2) w.int32(0);
    w.array(results, (x, res) => {
      x.string(res.name).int16(res.errorCode);
      if (v >= 1) x.nullableString(res.message);
    });
    return w;
  },
};
