import * as fs from 'node:fs';
import * as path from 'node:path';
import { BrokerLogger } from '../logger';
import { ErrorCode } from '../protocol/error-codes';
import { writeFileAtomic } from './atomic-file';
import { PartitionLog } from './partition-log';
import { BrokerLogDefaults, logConfigFor, topicConfigDefaults } from './topic-config';

export interface Topic {
  name: string;
  partitions: PartitionLog[];
  /** Explicitly set topic configs (overrides of the broker defaults). */
  configs: Record<string, string>;
}

export interface LogManagerOptions extends BrokerLogDefaults {
  dataDir: string | null;
  defaultPartitions: number;
  logger: BrokerLogger;
}

const LEGAL_TOPIC = /^[a-zA-Z0-9._-]+$/;

/** Kafka's topic name rules. Returns an error message or null. */
export function validateTopicName(name: string): string | null {
  if (name.length === 0) return 'Topic name is illegal, it can\'t be empty';
  if (name === '.' || name === '..') return 'Topic name cannot be "." or ".."';
  if (name.length > 249) return 'Topic name is illegal, it can\'t be longer than 249 characters';
  if (!LEGAL_TOPIC.test(name)) return `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`;
  return null;
}

interface TopicsFile {
  version: 1;
  topics: Array<{ name: string; partitions: number; configs: Record<string, string> }>;
}

/** All topics and their partition logs; topic metadata is kept in `<dataDir>/meta/topics.json`. */
export class LogManager {
  private readonly topics = new Map<string, Topic>();
  private readonly logsDir: string | null;
  private readonly metaDir: string | null;

  constructor(private readonly opts: LogManagerOptions) {
    this.logsDir = opts.dataDir ? path.join(opts.dataDir, 'logs') : null;
    this.metaDir = opts.dataDir ? path.join(opts.dataDir, 'meta') : null;
  }

  get defaults(): BrokerLogDefaults {
    return this.opts;
  }

  /** Loads topics and recovers their logs (cutting any torn tail). */
  load(): void {
    if (!this.logsDir || !this.metaDir) return;
    fs.mkdirSync(this.logsDir, { recursive: true });
    fs.mkdirSync(this.metaDir, { recursive: true });
    const file = path.join(this.metaDir, 'topics.json');
    if (!fs.existsSync(file)) return;
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as TopicsFile;
    for (const t of parsed.topics) {
      const topic: Topic = { name: t.name, partitions: [], configs: t.configs ?? {} };
      for (let p = 0; p < t.partitions; p++) topic.partitions.push(this.openPartition(topic, p));
      this.topics.set(t.name, topic);
    }
    this.opts.logger.info({ topics: this.topics.size }, 'logs recovered');
  }

  private openPartition(topic: Topic, p: number): PartitionLog {
    const config = logConfigFor(this.opts, topic.configs);
    if (!this.logsDir) return PartitionLog.inMemory(topic.name, p, config, this.opts.logger);
    return PartitionLog.open(path.join(this.logsDir, `${topic.name}-${p}`), topic.name, p, config, this.opts.logger);
  }

  private saveTopics(): void {
    if (!this.metaDir) return;
    const body: TopicsFile = {
      version: 1,
      topics: [...this.topics.values()].map((t) => ({ name: t.name, partitions: t.partitions.length, configs: t.configs })),
    };
    writeFileAtomic(path.join(this.metaDir, 'topics.json'), JSON.stringify(body, null, 1));
  }

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  partition(name: string, p: number): PartitionLog | undefined {
    return this.topics.get(name)?.partitions[p];
  }

  list(): Topic[] {
    return [...this.topics.values()];
  }

  create(name: string, partitions: number, configs: Record<string, string> = {}): Topic {
    const existing = this.topics.get(name);
    if (existing) return existing;
    const topic: Topic = { name, partitions: [], configs: { ...configs } };
    const n = partitions > 0 ? partitions : this.opts.defaultPartitions;
    for (let p = 0; p < n; p++) topic.partitions.push(this.openPartition(topic, p));
    this.topics.set(name, topic);
    this.saveTopics();
    this.opts.logger.info({ topic: name, partitions: n }, 'topic created');
    return topic;
  }

  delete(name: string): number {
    const topic = this.topics.get(name);
    if (!topic) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    this.topics.delete(name);
    this.saveTopics();
    for (const p of topic.partitions) p.destroy();
    this.opts.logger.info({ topic: name }, 'topic deleted');
    return ErrorCode.NONE;
  }

  addPartitions(name: string, count: number): void {
    const topic = this.topics.get(name);
    if (!topic) return;
    for (let p = topic.partitions.length; p < count; p++) topic.partitions.push(this.openPartition(topic, p));
    this.saveTopics();
  }

  /** Replaces a topic's explicit configs (AlterConfigs semantics) and applies them to its logs. */
  setConfigs(name: string, configs: Record<string, string>): void {
    const topic = this.topics.get(name);
    if (!topic) return;
    topic.configs = { ...configs };
    const cfg = logConfigFor(this.opts, topic.configs);
    for (const p of topic.partitions) p.config = cfg;
    this.saveTopics();
  }

  effectiveConfigs(topic: Topic): Record<string, string> {
    return { ...topicConfigDefaults(this.opts), ...topic.configs };
  }

  enforceRetention(now = Date.now()): void {
    for (const t of this.topics.values()) {
      for (const p of t.partitions) {
        const removed = p.enforceRetention(now);
        if (removed > 0) {
          this.opts.logger.debug({ topic: t.name, partition: p.partition, segments: removed, logStartOffset: p.logStartOffset }, 'retention removed segments');
        }
      }
    }
  }

  close(): void {
    for (const t of this.topics.values()) for (const p of t.partitions) p.close();
  }
}
