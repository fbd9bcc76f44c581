import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { BrokerCore } from './broker-core';
import { GroupCoordinator } from './group/group-coordinator';
import { OffsetStore } from './group/offset-store';
import { LogManager } from './log/log-manager';
import { ProducerIdManager } from './log/producer-id-manager';
import { BrokerLogger } from './logger';
import { BrokerOptions, ResolvedOptions, resolveOptions } from './options';
import { ApiHandler } from './protocol/api';
import { API_HANDLERS } from './protocol/apis';
import { Connection } from './server/connection';

/** A single-node Kafka-protocol broker. Create with `startBroker(options)`. */
export class KafkaBroker implements BrokerCore {
  readonly options: ResolvedOptions;
  readonly logger: BrokerLogger;
  readonly logs: LogManager;
  readonly groups: GroupCoordinator;
  readonly producerIds: ProducerIdManager;
  readonly pendingFetches = new Set<() => void>();
  readonly clusterId: string;
  stopping = false;
  private server: net.Server | null = null;
  private readonly connections = new Set<Connection>();
  private readonly handlerMap = new Map<number, ApiHandler>();
  private retentionTimer: NodeJS.Timeout | null = null;
  private boundPort = 0;
  private boundHost = '';
  private lockFile: string | null = null;
  private stopPromise: Promise<void> | null = null;

  constructor(options: BrokerOptions = {}) {
    this.options = resolveOptions(options);
    this.logger = this.options.logger;
    this.clusterId = this.options.clusterId;
    const dataDir = this.options.dataDir ? path.resolve(this.options.dataDir) : null;
    const metaDir = dataDir ? path.join(dataDir, 'meta') : null;
    this.logs = new LogManager({
      dataDir,
      defaultPartitions: this.options.defaultPartitions,
      segmentBytes: this.options.segmentBytes,
      retentionBytes: this.options.retentionBytes,
      retentionMs: this.options.retentionMs,
      maxMessageBytes: this.options.maxMessageBytes,
      logger: this.logger,
    });
    const offsets = new OffsetStore(metaDir, this.logger, this.options.syncOffsetCommits);
    this.groups = new GroupCoordinator(
      {
        minSessionTimeoutMs: this.options.groupMinSessionTimeoutMs,
        maxSessionTimeoutMs: this.options.groupMaxSessionTimeoutMs,
        initialRebalanceDelayMs: this.options.groupInitialRebalanceDelayMs,
        offsetsRetentionMs: this.options.offsetsRetentionMs,
        maxMetadataSize: 4096,
        logger: this.logger,
        partitionExists: (t, p) => this.logs.partition(t, p) !== undefined,
      },
      offsets,
    );
    this.producerIds = new ProducerIdManager(metaDir);
    for (const h of API_HANDLERS) this.handlerMap.set(h.key, h);
  }

  handlers(): readonly ApiHandler[] {
    return API_HANDLERS;
  }

  /** The port really bound (port 0 resolved). */
  get port(): number {
    return this.boundPort;
  }

  get host(): string {
    return this.boundHost;
  }

  get advertisedHost(): string {
    if (this.options.advertisedHost) return this.options.advertisedHost;
    const h = this.options.host;
    return h === '0.0.0.0' || h === '::' || h === '' ? 'localhost' : h;
  }

  /** 'host:port' as clients should use it in `brokers`. */
  get address(): string {
    return `${this.advertisedHost}:${this.boundPort}`;
  }

  async start(): Promise<string> {
    if (this.server) return this.address;
    if (this.options.dataDir) {
      const dir = path.resolve(this.options.dataDir);
      fs.mkdirSync(dir, { recursive: true });
      this.acquireLock(dir);
    }
    try {
      this.logs.load();
      this.groups.offsets.load();
    } catch (err) {
      this.releaseLock();
      throw err;
    }
    this.groups.start();
    const server = net.createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((err: unknown) => {
      this.groups.stop();
      this.logs.close();
      this.groups.offsets.close();
      this.releaseLock();
      throw err;
    });
    server.on('error', (err) => this.logger.error({ err: err.message }, 'server error'));
    this.server = server;
    const addr = server.address() as net.AddressInfo;
    this.boundPort = addr.port;
    this.boundHost = addr.address;
    if (this.options.retentionCheckIntervalMs > 0) {
      this.retentionTimer = setInterval(() => {
        try {
          this.logs.enforceRetention();
        } catch (err) {
          this.logger.error({ err: String(err) }, 'retention failed');
        }
      }, this.options.retentionCheckIntervalMs);
      this.retentionTimer.unref();
    }
    this.logger.info(
      { address: this.address, dataDir: this.options.dataDir, topics: this.logs.list().length },
      'kafka broker listening',
    );
    return this.address;
  }

  private accept(socket: net.Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    const conn = new Connection(socket, this, this.handlerMap, (c) => this.connections.delete(c));
    this.connections.add(conn);
  }

  /** Stops listening, answers long polls, closes every connection, syncs and closes files. */
  stop(): Promise<void> {
    if (!this.server && !this.stopPromise) return Promise.resolve();
    if (!this.stopPromise) this.stopPromise = this.doStop();
    return this.stopPromise;
  }

  private async doStop(): Promise<void> {
    if (!this.server) return;
    this.stopping = true;
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    this.retentionTimer = null;
    const server = this.server;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const finish of [...this.pendingFetches]) finish();
    this.groups.stop();
    // Let answers already computed go out before the sockets close.
    await new Promise((r) => setImmediate(r));
    for (const c of [...this.connections]) c.close('broker stopping');
    await closed;
    this.logs.close();
    this.groups.offsets.close();
    this.releaseLock();
    this.server = null;
    this.logger.info({}, 'kafka broker stopped');
  }

  /** One broker per data directory: a lock file naming the owning process. */
  private acquireLock(dir: string): void {
    const file = path.join(dir, '.lock');
    if (LOCKED_IN_THIS_PROCESS.has(file)) {
      throw new Error(`KAFKA_BROKER.DATA_DIR_LOCKED: ${dir} is in use by another broker in this process`);
    }
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
    } catch {
      const pid = Number(fs.readFileSync(file, 'utf8').trim());
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new Error(`KAFKA_BROKER.DATA_DIR_LOCKED: ${dir} is in use by process ${pid}`);
      }
      fs.writeFileSync(file, String(process.pid)); // stale lock from a killed broker
    }
    LOCKED_IN_THIS_PROCESS.add(file);
    this.lockFile = file;
  }

  private releaseLock(): void {
    if (this.lockFile) {
      LOCKED_IN_THIS_PROCESS.delete(this.lockFile);
      fs.rmSync(this.lockFile, { force: true });
    }
    this.lockFile = null;
  }
}

const LOCKED_IN_THIS_PROCESS = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Starts a broker and resolves once it listens. */
export async function startBroker(options: BrokerOptions = {}): Promise<KafkaBroker> {
  const broker = new KafkaBroker(options);
  await broker.start();
  return broker;
}
