import * as fs from 'node:fs';
import * as path from 'node:path';
import { BrokerLogger } from '../logger';
import { writeFileAtomic } from '../log/atomic-file';
import { GroupSync } from '../log/group-sync';
import { crc32c } from '../protocol/record-batch';

export interface CommittedOffset {
  offset: number;
  metadata: string | null;
  commitTimestamp: number;
}

export interface OffsetCommitEntry {
  topic: string;
  partition: number;
  offset: number;
  metadata: string | null;
}

/** One line of the offsets log. */
type OffsetRecord =
  | { g: string; c: Array<[string, number, number, string | null, number]> }
  | { g: string; del: true }
  | { t: string; del: true };

const FRAME_HEADER = 8;
const COMPACT_AT_BYTES = 64 * 1024 * 1024;
const PREALLOCATE = 1024 * 1024;
const BACKGROUND_SYNC_DELAY_MS = 10;

/**
 * Committed offsets per group. With a directory they go to `offsets.log`, framed as
 * [u32 length][u32 CRC-32C][JSON], fsync'd before the commit is answered (group commit:
 * commits waiting at the same time share one fdatasync). Loading stops at the first bad frame
 * and cuts it off; the file is rewritten compactly when it grows.
 */
export class OffsetStore {
  private readonly groups = new Map<string, Map<string, Map<number, CommittedOffset>>>();
  private fd = -1;
  private file: string | null = null;
  private size = 0;
  private liveBytes = 0;
  /** Zeros written ahead of `size` so a commit's fdatasync changes no file metadata. */
  private allocated = 0;
  private readonly syncer: GroupSync;

  /**
   * @param waitForSync answer commits only after fdatasync. Off by default, as in Kafka, where an
   *   offset commit is acknowledged once written to the offsets log (here: written to the file,
   *   so it survives a crash or kill -9 of the broker) and the fsync follows right behind it.
   */
  constructor(
    private readonly dir: string | null,
    private readonly logger: BrokerLogger,
    private readonly waitForSync = false,
  ) {
    // When commits wait for the fsync it starts at once; otherwise commits of the next few
    // milliseconds share it, sparing the disk one fsync per consumer batch.
    this.syncer = new GroupSync(
      (done) => {
        if (this.fd < 0) return done(null);
        fs.fdatasync(this.fd, (err) => done(err));
      },
      2,
      waitForSync ? 0 : BACKGROUND_SYNC_DELAY_MS,
    );
  }

  load(): void {
    if (!this.dir) return;
    fs.mkdirSync(this.dir, { recursive: true });
    this.file = path.join(this.dir, 'offsets.log');
    if (fs.existsSync(this.file)) {
      const data = fs.readFileSync(this.file);
      let pos = 0;
      while (pos + FRAME_HEADER <= data.length) {
        const len = data.readUInt32BE(pos);
        if (len === 0) break; // preallocated zeros: the end of the log
        const crc = data.readUInt32BE(pos + 4);
        if (pos + FRAME_HEADER + len > data.length) break;
        const payload = data.subarray(pos + FRAME_HEADER, pos + FRAME_HEADER + len);
        if (crc32c(payload) !== crc) break;
        let rec: OffsetRecord;
        try {
          rec = JSON.parse(payload.toString('utf8')) as OffsetRecord;
        } catch {
          break;
        }
        this.apply(rec);
        pos += FRAME_HEADER + len;
      }
      if (pos < data.length && !isAllZero(data, pos)) {
        this.logger.warn({ file: this.file, cutBytes: data.length - pos }, 'cut a torn tail off the offsets log');
      }
    }
    this.rewrite();
  }

  private apply(rec: OffsetRecord): void {
    if ('c' in rec) {
      let topics = this.groups.get(rec.g);
      if (!topics) {
        topics = new Map();
        this.groups.set(rec.g, topics);
      }
      for (const [t, p, offset, metadata, ts] of rec.c) {
        let parts = topics.get(t);
        if (!parts) {
          parts = new Map();
          topics.set(t, parts);
        }
        parts.set(p, { offset, metadata, commitTimestamp: ts });
      }
    } else if ('g' in rec) {
      this.groups.delete(rec.g);
    } else {
      for (const topics of this.groups.values()) topics.delete(rec.t);
    }
  }

  /** Writes a snapshot of the current state and continues appending after it. */
  private rewrite(): void {
    if (!this.file) return;
    if (this.fd >= 0) fs.closeSync(this.fd);
    const frames: Buffer[] = [];
    for (const [g, topics] of this.groups) {
      const c: Array<[string, number, number, string | null, number]> = [];
      for (const [t, parts] of topics) for (const [p, o] of parts) c.push([t, p, o.offset, o.metadata, o.commitTimestamp]);
      if (c.length > 0) frames.push(frame({ g, c }));
    }
    const snapshot = Buffer.concat(frames);
    writeFileAtomic(this.file, snapshot);
    this.fd = fs.openSync(this.file, 'r+');
    this.size = snapshot.length;
    this.allocated = snapshot.length;
    this.liveBytes = snapshot.length;
  }

  private append(rec: OffsetRecord): Promise<void> {
    this.apply(rec);
    if (this.fd < 0) return Promise.resolve();
    const buf = frame(rec);
    if (this.size + buf.length > this.allocated) {
      const target = Math.max(this.size + buf.length, this.allocated + PREALLOCATE);
      const zeros = Buffer.alloc(target - this.allocated);
      fs.writeSync(this.fd, zeros, 0, zeros.length, this.allocated);
      this.allocated = target;
    }
    let written = 0;
    while (written < buf.length) written += fs.writeSync(this.fd, buf, written, buf.length - written, this.size + written);
    this.size += buf.length;
    const synced = this.syncer.request().then(
      () => this.maybeCompact(),
      (err: unknown) => {
        if (this.fd >= 0) this.logger.error({ err: String(err) }, 'offsets log fsync failed');
        throw err;
      },
    );
    if (this.waitForSync) return synced;
    synced.catch(() => undefined);
    return Promise.resolve();
  }

  private maybeCompact(): void {
    if (this.fd >= 0 && this.syncer.idle && this.size > COMPACT_AT_BYTES && this.size > 4 * this.liveBytes) this.rewrite();
  }

  commit(group: string, entries: OffsetCommitEntry[], now = Date.now()): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return this.append({ g: group, c: entries.map((e) => [e.topic, e.partition, e.offset, e.metadata, now]) });
  }

  get(group: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.groups.get(group)?.get(topic)?.get(partition);
  }

  /** Every committed offset of a group, by topic. */
  all(group: string): Map<string, Map<number, CommittedOffset>> {
    return this.groups.get(group) ?? new Map();
  }

  hasOffsets(group: string): boolean {
    const topics = this.groups.get(group);
    if (!topics) return false;
    for (const parts of topics.values()) if (parts.size > 0) return true;
    return false;
  }

  groupIds(): string[] {
    return [...this.groups.keys()];
  }

  deleteGroup(group: string): Promise<void> {
    if (!this.groups.has(group)) return Promise.resolve();
    return this.append({ g: group, del: true });
  }

  deleteTopic(topic: string): Promise<void> {
    return this.append({ t: topic, del: true });
  }

  close(): void {
    if (this.fd >= 0) {
      try {
        fs.ftruncateSync(this.fd, this.size);
        fs.fdatasyncSync(this.fd);
        fs.closeSync(this.fd);
      } catch {
        // closing anyway
      }
      this.fd = -1;
    }
    this.syncer.close(null); // everything written is synced above
  }
}

function frame(rec: OffsetRecord): Buffer {
  const payload = Buffer.from(JSON.stringify(rec), 'utf8');
  const head = Buffer.allocUnsafe(FRAME_HEADER);
  head.writeUInt32BE(payload.length, 0);
  head.writeUInt32BE(crc32c(payload), 4);
  return Buffer.concat([head, payload]);
}

function isAllZero(data: Buffer, from: number): boolean {
  for (let i = from; i < data.length; i++) if (data[i] !== 0) return false;
  return true;
}
