import { BrokerLogger, silentLogger } from './logger';

export interface BrokerOptions {
  /** TCP port; 0 picks a free one (the broker advertises the one it got). Default 9092. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Host name put in Metadata and FindCoordinator answers. Default: `host` (localhost for 0.0.0.0 / ::). */
  advertisedHost?: string;
  /** Where logs and offsets are kept. Without it everything stays in memory. */
  dataDir?: string | null;
  /** Partitions of an auto-created topic, or of CreateTopics with -1 (Kafka's num.partitions). Default 1. */
  defaultPartitions?: number;
  /** Guard against absurd requests: most partitions a topic may have. Default 10000. */
  maxPartitionsPerTopic?: number;
  /** Kafka's auto.create.topics.enable. Default true. */
  autoCreateTopics?: boolean;
  nodeId?: number;
  clusterId?: string;
  /** socket.request.max.bytes: larger frames close the connection. Default 100 MiB. */
  maxFrameBytes?: number;
  /** message.max.bytes: largest record batch accepted. Default 1 MiB + 12 bytes (Kafka's). */
  maxMessageBytes?: number;
  /** log.segment.bytes. Default 64 MiB. */
  segmentBytes?: number;
  /** log.retention.bytes per partition, -1 for no limit. Default -1. */
  retentionBytes?: number;
  /** log.retention.ms, -1 for no limit. Default 7 days. */
  retentionMs?: number;
  /** How often retention runs. Default 60 s. */
  retentionCheckIntervalMs?: number;
  /** group.min.session.timeout.ms. Default 6000 (Kafka's). */
  groupMinSessionTimeoutMs?: number;
  /** group.max.session.timeout.ms. Default 1800000. */
  groupMaxSessionTimeoutMs?: number;
  /** group.initial.rebalance.delay.ms. Default 0 (Kafka ships 0 in its sample config; the built-in default is 3000). */
  groupInitialRebalanceDelayMs?: number;
  /** offsets.retention.minutes in ms: offsets of a group that has been empty this long are dropped. Default 7 days. */
  offsetsRetentionMs?: number;
  /**
   * Answer OffsetCommit only after the offsets log is fsync'd. Default false: like Kafka, a commit
   * is acknowledged once written to the log (it survives a crash or kill -9 of the broker) and is
   * fsync'd within 10 ms, without holding the consumer's fetch loop on the disk.
   */
  syncOffsetCommits?: boolean;
  /** connections.max.idle.ms. Default 10 minutes. */
  connectionsMaxIdleMs?: number;
  logger?: BrokerLogger;
}

export type ResolvedOptions = Required<Omit<BrokerOptions, 'dataDir' | 'advertisedHost'>> & {
  dataDir: string | null;
  advertisedHost: string | null;
};

export function resolveOptions(o: BrokerOptions): ResolvedOptions {
  const positive = (name: string, v: number | undefined, d: number): number => {
    const x = v ?? d;
    if (!Number.isFinite(x) || x < 0) throw new Error(`KAFKA_BROKER.INVALID_OPTION: ${name} must be a non-negative number, got ${x}`);
    return x;
  };
  const partitions = positive('defaultPartitions', o.defaultPartitions, 1);
  if (partitions < 1) throw new Error('KAFKA_BROKER.INVALID_OPTION: defaultPartitions must be at least 1');
  return {
    port: positive('port', o.port, 9092),
    host: o.host ?? '127.0.0.1',
    advertisedHost: o.advertisedHost ?? null,
    dataDir: o.dataDir ?? null,
    defaultPartitions: partitions,
    autoCreateTopics: o.autoCreateTopics ?? true,
    maxPartitionsPerTopic: positive('maxPartitionsPerTopic', o.maxPartitionsPerTopic, 10000),
    nodeId: o.nodeId ?? 1,
    clusterId: o.clusterId ?? 'scholarpay-embedded',
    maxFrameBytes: positive('maxFrameBytes', o.maxFrameBytes, 104857600),
    maxMessageBytes: positive('maxMessageBytes', o.maxMessageBytes, 1048588),
    segmentBytes: positive('segmentBytes', o.segmentBytes, 64 * 1024 * 1024),
    retentionBytes: o.retentionBytes ?? -1,
    retentionMs: o.retentionMs ?? 7 * 24 * 3600 * 1000,
    retentionCheckIntervalMs: positive('retentionCheckIntervalMs', o.retentionCheckIntervalMs, 60000),
    groupMinSessionTimeoutMs: positive('groupMinSessionTimeoutMs', o.groupMinSessionTimeoutMs, 6000),
    groupMaxSessionTimeoutMs: positive('groupMaxSessionTimeoutMs', o.groupMaxSessionTimeoutMs, 1800000),
    groupInitialRebalanceDelayMs: positive('groupInitialRebalanceDelayMs', o.groupInitialRebalanceDelayMs, 0),
    offsetsRetentionMs: o.offsetsRetentionMs ?? 7 * 24 * 3600 * 1000,
    syncOffsetCommits: o.syncOffsetCommits ?? false,
    connectionsMaxIdleMs: positive('connectionsMaxIdleMs', o.connectionsMaxIdleMs, 600000),
    logger: o.logger ?? silentLogger,
  };
}
