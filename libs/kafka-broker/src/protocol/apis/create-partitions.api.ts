import { ApiHandler } from '../api';
import { ApiKey } from '../api-keys';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

export const createPartitionsApi: ApiHandler = {
  key: ApiKey.CreatePartitions,
  name: 'CreatePartitions',
  minVersion: 0,
  maxVersion: 1,
  handle(r, ctx) {
    const { core } = ctx;
    const topics = r.array((x) => ({
      name: x.string(),
      count: x.int32(),
      assignments: x.nullableArray((y) => y.array((z) => z.int32())),
    }));
    r.int32(); // timeout
    const validateOnly = r.bool();
    const results = topics.map((t) => {
      const topic = core.logs.get(t.name);
      if (!topic) return { name: t.name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: `The topic '${t.name}' does not exist.` };
      const current = topic.partitions.length;
      if (t.count <= current) {
        return {
          name: t.name,
          errorCode: ErrorCode.INVALID_PARTITIONS,
          message: t.count === current ? `Topic already has ${current} partitions.` : `Topic currently has ${current} partitions, which is higher than the requested ${t.count}.`,
        };
      }
      if (t.count > core.options.maxPartitionsPerTopic) {
        return { name: t.name, errorCode: ErrorCode.INVALID_PARTITIONS, message: `Number of partitions is above this broker's limit of ${core.options.maxPartitionsPerTopic}.` };
      }
      if (t.assignments && (t.assignments.length !== t.count - current || t.assignments.some((a) => a.some((b) => b !== core.options.nodeId)))) {
        return { name: t.name, errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT, message: 'Invalid replica assignment' };
      }
      if (!validateOnly) core.logs.addPartitions(t.name, t.count);
      return { name: t.name, errorCode: ErrorCode.NONE, message: null };
    });
    const w = new Writer().int32(0);
    w.array(results, (x, res) => x.string(res.name).int16(res.errorCode).nullableString(res.message));
    return w;
  },
};
