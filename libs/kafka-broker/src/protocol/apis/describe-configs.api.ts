import { TOPIC_CONFIG_KEYS, topicConfigDefaults } from '../../log/topic-config';
import { ApiHandler } from '../api';
import { ApiKey } from '../api-keys';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

export const ResourceType = { TOPIC: 2, BROKER: 4 } as const;

/** Kafka's ConfigSource values (DescribeConfigs v1+). */
const Source = { DYNAMIC_TOPIC_CONFIG: 1, STATIC_BROKER_CONFIG: 4, DEFAULT_CONFIG: 5 } as const;

interface Entry {
  name: string;
  value: string | null;
  readOnly: boolean;
  source: number;
}

export const describeConfigsApi: ApiHandler = {
  key: ApiKey.DescribeConfigs,
  name: 'DescribeConfigs',
  minVersion: 0,
  maxVersion: 2,
  handle(r, ctx) {
    const v = ctx.apiVersion;
    const { core } = ctx;
    const resources = r.array((x) => ({
      type: x.int8(),
      name: x.string(),
      keys: x.nullableArray((y) => y.string()),
    }));
    const includeSynonyms = v >= 1 ? r.bool() : false;

    const results = resources.map((res) => {
      let entries: Entry[] = [];
      let errorCode: number = ErrorCode.NONE;
      let message: string | null = null;
      if (res.type === ResourceType.TOPIC) {
        const topic = core.logs.get(res.name);
        if (!topic) {
          errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
          message = `Topic '${res.name}' does not exist.`;
        } else {
          const defaults = topicConfigDefaults(core.logs.defaults);
          const names = new Set<string>([...TOPIC_CONFIG_KEYS, ...Object.keys(topic.configs)]);
          entries = [...names].sort().map((name) => {
            const explicit = topic.configs[name];
            return {
              name,
              value: explicit ?? defaults[name] ?? null,
              readOnly: false,
              source: explicit !== undefined ? Source.DYNAMIC_TOPIC_CONFIG : Source.DEFAULT_CONFIG,
            };
          });
        }
      } else if (res.type === ResourceType.BROKER) {
        if (res.name !== '' && res.name !== String(core.options.nodeId)) {
          errorCode = ErrorCode.INVALID_REQUEST;
          message = `Unexpected broker id, expected ${core.options.nodeId}`;
        } else {
          const o = core.options;
          const broker: Record<string, string> = {
            'auto.create.topics.enable': String(o.autoCreateTopics),
            'broker.id': String(o.nodeId),
            'group.initial.rebalance.delay.ms': String(o.groupInitialRebalanceDelayMs),
            'group.max.session.timeout.ms': String(o.groupMaxSessionTimeoutMs),
            'group.min.session.timeout.ms': String(o.groupMinSessionTimeoutMs),
            'log.retention.bytes': String(o.retentionBytes),
            'log.retention.ms': String(o.retentionMs),
            'log.segment.bytes': String(o.segmentBytes),
            'message.max.bytes': String(o.maxMessageBytes),
            'num.partitions': String(o.defaultPartitions),
            'offsets.retention.minutes': String(Math.floor(o.offsetsRetentionMs / 60000)),
            'socket.request.max.bytes': String(o.maxFrameBytes),
          };
          entries = Object.entries(broker).map(([name, value]) => ({ name, value, readOnly: true, source: Source.STATIC_BROKER_CONFIG }));
        }
      } else {
        errorCode = ErrorCode.INVALID_REQUEST;
        message = `Unsupported resource type ${res.type}`;
      }
      if (res.keys) {
        const wanted = new Set(res.keys);
        entries = entries.filter((e) => wanted.has(e.name));
      }
      return { ...res, errorCode, message, entries };
    });

    const w = new Writer().int32(0);
    w.array(results, (x, res) => {
      x.int16(res.errorCode).nullableString(res.message).int8(res.type).string(res.name);
      x.array(res.entries, (y, e) => {
        y.string(e.name).nullableString(e.value).bool(e.readOnly);
        if (v === 0) y.bool(e.source === Source.DEFAULT_CONFIG);
        else y.int8(e.source);
        y.bool(false); // sensitive
        if (v >= 1) {
          const synonyms = includeSynonyms ? [e] : [];
          y.array(synonyms, (z, s) => z.string(s.name).nullableString(s.value).int8(s.source));
        }
      });
    });
    return w;
  },
};
