import { validateTopicName } from '../../log/log-manager';
import { ApiHandler } from '../api';
import { ApiKey } from '../api-keys';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

interface TopicAnswer {
  errorCode: number;
  name: string;
  partitions: number;
}

export const metadataApi: ApiHandler = {
  key: ApiKey.Metadata,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 6,
  handle(r, ctx) {
    const v = ctx.apiVersion;
    const { core } = ctx;
    let names: string[] | null = v === 0 ? r.array((x) => x.string()) : r.nullableArray((x) => x.string());
    if (v === 0 && names !== null && names.length === 0) names = null; // v0: empty list means all topics
    const allowAutoCreate = v >= 4 ? r.bool() : true;

    const topics: TopicAnswer[] = [];
    if (names === null) {
      for (const t of core.logs.list()) topics.push({ errorCode: ErrorCode.NONE, name: t.name, partitions: t.partitions.length });
    } else {
      for (const name of names) {
        let t = core.logs.get(name);
        if (!t) {
          if (validateTopicName(name) !== null) {
            topics.push({ errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, name, partitions: 0 });
            continue;
          }
          if (allowAutoCreate && core.options.autoCreateTopics) {
            t = core.logs.create(name, core.options.defaultPartitions);
          } else {
            topics.push({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, partitions: 0 });
            continue;
          }
        }
        topics.push({ errorCode: ErrorCode.NONE, name: t.name, partitions: t.partitions.length });
      }
    }

    const nodeId = core.options.nodeId;
    const w = new Writer();
    if (v >= 3) w.int32(0);
    w.array([0], (x) => {
      x.int32(nodeId).string(core.advertisedHost).int32(core.port);
      if (v >= 1) x.nullableString(null);
    });
    if (v >= 2) w.nullableString(core.clusterId);
    if (v >= 1) w.int32(nodeId);
    w.array(topics, (x, t) => {
      x.int16(t.errorCode).string(t.name);
      if (v >= 1) x.bool(false);
      const parts = Array.from({ length: t.partitions }, (_, i) => i);
      x.array(parts, (y, p) => {
        y.int16(ErrorCode.NONE).int32(p).int32(nodeId);
        y.array([nodeId], (z, n) => z.int32(n));
        y.array([nodeId], (z, n) => z.int32(n));
        if (v >= 5) y.int32(0);
      });
    });
    return w;
  },
};
