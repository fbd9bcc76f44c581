import { LogConfig } from './partition-log';

/** Topic-level configs the broker knows, with Kafka's names. */
export const TOPIC_CONFIG_KEYS = [
  'cleanup.policy',
  'compression.type',
  'max.message.bytes',
  'message.timestamp.type',
  'min.insync.replicas',
  'retention.bytes',
  'retention.ms',
  'segment.bytes',
] as const;

export interface BrokerLogDefaults {
  segmentBytes: number;
  retentionBytes: number;
  retentionMs: number;
  maxMessageBytes: number;
}

export function topicConfigDefaults(d: BrokerLogDefaults): Record<string, string> {
  return {
    'cleanup.policy': 'delete',
    'compression.type': 'producer',
    'max.message.bytes': String(d.maxMessageBytes),
    'message.timestamp.type': 'CreateTime',
    'min.insync.replicas': '1',
    'retention.bytes': String(d.retentionBytes),
    'retention.ms': String(d.retentionMs),
    'segment.bytes': String(d.segmentBytes),
  };
}

/** Returns an error message for a config Kafka would refuse, or null. */
export function validateTopicConfig(name: string, value: string | null): string | null {
  if (!(TOPIC_CONFIG_KEYS as readonly string[]).includes(name)) {
    // Kafka accepts many more topic configs; we store unknown-but-plausible ones unchanged.
    return /^[a-z0-9.]+$/.test(name) ? null : `Unknown topic config name: ${name}`;
  }
  if (value === null) return null;
  const numeric = ['max.message.bytes', 'min.insync.replicas', 'retention.bytes', 'retention.ms', 'segment.bytes'];
  if (numeric.includes(name) && !/^-?\d+$/.test(value)) return `Invalid value ${value} for configuration ${name}`;
  if (name === 'segment.bytes' && Number(value) < 14) return `Invalid value ${value} for configuration ${name}`;
  return null;
}

export function logConfigFor(d: BrokerLogDefaults, overrides: Record<string, string>): LogConfig {
  const num = (k: string, dflt: number): number => {
    const v = overrides[k];
    return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : dflt;
  };
  return {
    segmentBytes: num('segment.bytes', d.segmentBytes),
    retentionBytes: num('retention.bytes', d.retentionBytes),
    retentionMs: num('retention.ms', d.retentionMs),
    maxMessageBytes: num('max.message.bytes', d.maxMessageBytes),
  };
}
