import * as fs from 'node:fs';
import * as path from 'node:path';
import { BrokerLogger } from '../logger';
import { ErrorCode } from '../protocol/error-codes';
import { BatchHeader, firstOffsetAtOrAfter, setBaseOffset } from '../protocol/record-batch';
import { writeFileAtomic } from './atomic-file';
import { GroupSync } from './group-sync';
import { ProducerStateTable } from './producer-state';
import { BatchEntry, FileSegment, MemorySegment, Segment, segmentFileName } from './segment';

export interface LogConfig {
  segmentBytes: number;
  /** -1: unlimited. */
  retentionBytes: number;
  /** -1: unlimited. */
  retentionMs: number;
  maxMessageBytes: number;
}

export interface AppendResult {
  errorCode: number;
  baseOffset: number;
  /** True when every batch was a resend of one already in the log. */
  duplicate: boolean;
}

export interface ReadResult {
  chunks: Buffer[];
  bytes: number;
}

/**
 * One partition's log: a list of segments, the next offset to assign, the log start offset,
 * idempotent-producer state, and the waiters (long-polling fetches) to wake on append.
 * With a directory, segments are files and `sync()` makes appended bytes durable; group commit
 * lets every append waiting at the time share one fdatasync.
 */
export class PartitionLog {
  private segments: Segment[] = [];
  nextOffset = 0;
  logStartOffset = 0;
  readonly producers = new ProducerStateTable();
  private readonly waiters = new Set<() => void>();
  private unsynced = new Set<Segment>();
  private readonly syncer = new GroupSync((done) => this.syncUnsynced(done));
  private closed = false;

  private constructor(
    readonly topic: string,
    readonly partition: number,
    readonly dir: string | null,
    public config: LogConfig,
    private readonly logger: BrokerLogger,
  ) {}

  static inMemory(topic: string, partition: number, config: LogConfig, logger: BrokerLogger): PartitionLog {
    const log = new PartitionLog(topic, partition, null, config, logger);
    log.segments.push(new MemorySegment(0));
    return log;
  }

  /** Opens (and recovers) the partition directory, creating it if needed. */
  static open(dir: string, topic: string, partition: number, config: LogConfig, logger: BrokerLogger): PartitionLog {
    const log = new PartitionLog(topic, partition, dir, config, logger);
    fs.mkdirSync(dir, { recursive: true });
    log.recover();
    return log;
  }

  private recover(): void {
    const dir = this.dir as string;
    const files = fs
      .readdirSync(dir)
      .filter((f) => /^\d{20}\.log$/.test(f))
      .sort();
    let startOffset = this.readLogStartCheckpoint();
    let next = -1;
    let broken = false;
    for (const f of files) {
      const base = Number(f.slice(0, 20));
      const file = path.join(dir, f);
      if (broken || (next >= 0 && base !== next)) {
        // Everything after a cut (or a gap) cannot be trusted to follow on: remove it.
        this.logger.warn({ topic: this.topic, partition: this.partition, file }, 'removing segment after a torn log tail');
        fs.rmSync(file, { force: true });
        broken = true;
        continue;
      }
      const { segment, report } = FileSegment.recover(file, base, base, (h) => this.trackProducer(h));
      if (report.truncatedBytes > 0) {
        this.logger.warn(
          { topic: this.topic, partition: this.partition, file, cutBytes: report.truncatedBytes, problem: report.problem },
          'cut a torn or corrupt tail off the log',
        );
        broken = true;
      }
      if (segment.entries.length === 0 && this.segments.length > 0) {
        segment.remove();
        continue;
      }
      this.segments.push(segment);
      const last = segment.entries[segment.entries.length - 1];
      next = last ? last.lastOffset + 1 : base;
    }
    if (this.segments.length === 0) {
      const base = Math.max(startOffset, 0);
      this.segments.push(FileSegment.create(dir, base));
      next = base;
    }
    this.nextOffset = next;
    const first = this.segments[0];
    if (startOffset < first.baseOffset) startOffset = first.baseOffset;
    if (startOffset > this.nextOffset) startOffset = this.nextOffset;
    this.logStartOffset = startOffset;
  }

  private trackProducer(h: BatchHeader): void {
    if (h.producerId >= 0 && h.baseSequence >= 0) {
      this.producers.record(h.producerId, h.producerEpoch, {
        firstSeq: h.baseSequence,
        lastSeq: h.baseSequence + h.lastOffsetDelta,
        baseOffset: h.baseOffset,
        lastOffset: h.baseOffset + h.lastOffsetDelta,
      });
    }
  }

  get highWatermark(): number {
    return this.nextOffset;
  }

  get sizeBytes(): number {
    let n = 0;
    for (const s of this.segments) n += s.size;
    return n;
  }

  /**
   * Appends already-validated batches (buffer `records`, headers from parseBatches), assigning
   * offsets by rewriting each batch's baseOffset. A batch that repeats an idempotent producer's
   * last sequences is not appended again: its original offset is returned.
   */
  append(records: Buffer, headers: BatchHeader[]): AppendResult {
    if (this.closed) return { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, baseOffset: -1, duplicate: false };
    let firstBase = -1;
    let allDuplicate = headers.length > 0;
    for (const h of headers) {
      if (h.size > this.config.maxMessageBytes) {
        return { errorCode: ErrorCode.MESSAGE_TOO_LARGE, baseOffset: -1, duplicate: false };
      }
    }
    for (const h of headers) {
      const lastSeq = h.baseSequence + h.lastOffsetDelta;
      const check = this.producers.check(h.producerId, h.producerEpoch, h.baseSequence, lastSeq);
      if (check.kind === 'error') return { errorCode: check.errorCode, baseOffset: -1, duplicate: false };
      if (check.kind === 'duplicate') {
        if (firstBase < 0) firstBase = check.baseOffset;
        continue;
      }
      allDuplicate = false;
      const base = this.nextOffset;
      const lastOffset = base + h.lastOffsetDelta;
      setBaseOffset(records, h.start, base);
      const bytes = records.subarray(h.start, h.start + h.size);
      this.maybeRoll(bytes.length);
      const seg = this.segments[this.segments.length - 1];
      // Memory segments keep the buffer: copy it so the socket chunk it came in can be freed.
      seg.append(this.dir ? bytes : Buffer.from(bytes), { baseOffset: base, lastOffset, maxTimestamp: h.maxTimestamp });
      if (this.dir) this.unsynced.add(seg);
      this.nextOffset = lastOffset + 1;
      this.producers.record(h.producerId, h.producerEpoch, {
        firstSeq: h.baseSequence,
        lastSeq,
        baseOffset: base,
        lastOffset,
      });
      if (firstBase < 0) firstBase = base;
    }
    if (!allDuplicate) this.notify();
    return { errorCode: ErrorCode.NONE, baseOffset: firstBase, duplicate: allDuplicate };
  }

  private maybeRoll(incoming: number): void {
    const active = this.segments[this.segments.length - 1];
    if (active.size === 0 || active.size + incoming <= this.config.segmentBytes) return;
    if (active instanceof FileSegment) active.trim();
    const seg = this.dir ? FileSegment.create(this.dir, this.nextOffset) : new MemorySegment(this.nextOffset);
    this.segments.push(seg);
  }

  /** Resolves once everything appended so far is on stable storage. */
  sync(): Promise<void> {
    if (!this.dir) return Promise.resolve();
    return this.syncer.request();
  }

  private syncUnsynced(done: (err: Error | null) => void): void {
    const segs = [...this.unsynced];
    this.unsynced.clear();
    let pending = segs.length;
    let failure: Error | null = null;
    if (pending === 0) {
      done(null);
      return;
    }
    for (const s of segs) {
      s.sync((err) => {
        if (err && !failure && !this.closed) failure = err;
        if (failure) this.unsynced.add(s); // not durable: the next sync tries again
        if (--pending === 0) done(failure);
      });
    }
  }

  /** Index of the batch holding `offset` (or the first one after it). */
  private locate(offset: number): { seg: number; entry: number } | null {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segments[mid].baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    for (let s = lo; s < this.segments.length; s++) {
      const entries = this.segments[s].entries;
      let a = 0;
      let b = entries.length;
      while (a < b) {
        const m = (a + b) >> 1;
        if (entries[m].lastOffset < offset) a = m + 1;
        else b = m;
      }
      if (a < entries.length) return { seg: s, entry: a };
    }
    return null;
  }

  /**
   * Whole batches from the one holding `offset`, up to `maxBytes`; when `atLeastOne`, the first
   * batch comes back even if larger (KIP-74), so a consumer can always make progress.
   */
  read(offset: number, maxBytes: number, atLeastOne: boolean): ReadResult {
    if (offset >= this.nextOffset || offset < this.logStartOffset) return { chunks: [], bytes: 0 };
    const at = this.locate(offset);
    if (!at) return { chunks: [], bytes: 0 };
    const chunks: Buffer[] = [];
    let bytes = 0;
    for (let s = at.seg; s < this.segments.length; s++) {
      const seg = this.segments[s];
      const from = s === at.seg ? at.entry : 0;
      let to = from;
      while (to < seg.entries.length) {
        const e = seg.entries[to];
        if (bytes + e.size > maxBytes && !(atLeastOne && bytes === 0)) break;
        bytes += e.size;
        to++;
      }
      if (to > from) chunks.push(...seg.read(from, to));
      if (to < seg.entries.length) break;
    }
    return { chunks, bytes };
  }

  /** Bytes available from `offset` (for min_bytes), capped at `cap` to keep it cheap. */
  availableBytes(offset: number, cap: number): number {
    if (offset >= this.nextOffset) return 0;
    const at = this.locate(Math.max(offset, this.logStartOffset));
    if (!at) return 0;
    let bytes = 0;
    for (let s = at.seg; s < this.segments.length && bytes < cap; s++) {
      const entries = this.segments[s].entries;
      for (let i = s === at.seg ? at.entry : 0; i < entries.length && bytes < cap; i++) bytes += entries[i].size;
    }
    return bytes;
  }

  /**
   * Earliest offset whose record timestamp is >= ts, or -1. Exact inside uncompressed batches;
   * for compressed ones, the first offset of the batch that holds such a record.
   */
  offsetForTimestamp(ts: number): number {
    for (const seg of this.segments) {
      if (seg.maxTimestamp() < ts) continue;
      for (let i = 0; i < seg.entries.length; i++) {
        const e = seg.entries[i];
        if (e.lastOffset < this.logStartOffset || e.maxTimestamp < ts) continue;
        const exact = firstOffsetAtOrAfter(Buffer.concat(seg.read(i, i + 1)), ts, this.logStartOffset);
        return exact ?? Math.max(e.baseOffset, this.logStartOffset);
      }
    }
    return -1;
  }

  /** Deletes whole segments past the size or age limit (never the active one). */
  enforceRetention(now: number): number {
    let removed = 0;
    const { retentionBytes, retentionMs } = this.config;
    while (this.segments.length > 1) {
      const oldest = this.segments[0];
      const total = this.sizeBytes;
      const bySize = retentionBytes >= 0 && total - oldest.size >= retentionBytes;
      const byAge = retentionMs >= 0 && oldest.entries.length > 0 && oldest.maxTimestamp() < now - retentionMs;
      if (!bySize && !byAge) break;
      this.segments.shift();
      this.unsynced.delete(oldest);
      oldest.remove();
      removed++;
      this.logStartOffset = Math.max(this.logStartOffset, this.segments[0].baseOffset);
    }
    // The active segment ages out too once it is old enough: roll it so it can go next time.
    if (retentionMs >= 0 && this.segments.length === 1) {
      const only = this.segments[0];
      if (only.entries.length > 0 && only.maxTimestamp() < now - retentionMs) {
        this.segments.push(this.dir ? FileSegment.create(this.dir, this.nextOffset) : new MemorySegment(this.nextOffset));
        this.segments.shift();
        only.remove();
        this.logStartOffset = this.nextOffset;
        removed++;
      }
    }
    if (removed > 0) {
      this.producers.dropBefore(this.logStartOffset);
      this.writeLogStartCheckpoint();
    }
    return removed;
  }

  /** DeleteRecords: moves the log start offset forward (whole segments below it are removed). */
  deleteRecordsBefore(offset: number): number {
    const target = offset === -1 ? this.nextOffset : offset;
    if (target < 0 || target > this.nextOffset) return ErrorCode.OFFSET_OUT_OF_RANGE;
    if (target <= this.logStartOffset) return ErrorCode.NONE;
    this.logStartOffset = target;
    while (this.segments.length > 1 && this.segments[1].baseOffset <= target) {
      const s = this.segments.shift() as Segment;
      this.unsynced.delete(s);
      s.remove();
    }
    this.writeLogStartCheckpoint();
    return ErrorCode.NONE;
  }

  private checkpointFile(): string | null {
    return this.dir ? path.join(this.dir, 'log-start-offset') : null;
  }

  private readLogStartCheckpoint(): number {
    const f = this.checkpointFile();
    if (!f) return 0;
    try {
      const n = Number(fs.readFileSync(f, 'utf8').trim());
      return Number.isSafeInteger(n) && n >= 0 ? n : 0;
    } catch {
      return 0;
    }
  }

  private writeLogStartCheckpoint(): void {
    const f = this.checkpointFile();
    if (f) writeFileAtomic(f, String(this.logStartOffset));
  }

  /** Long-polling fetches register here and are called after every append. */
  addWaiter(fn: () => void): void {
    this.waiters.add(fn);
  }

  removeWaiter(fn: () => void): void {
    this.waiters.delete(fn);
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  close(): void {
    this.closed = true;
    for (const s of this.segments) s.close();
    this.syncer.close(null); // segments were fsync'd as they closed
    this.notify();
  }

  /** Removes the partition's data (topic deletion). */
  destroy(): void {
    this.close();
    for (const s of this.segments) s.remove();
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** For tests: the stored entries. */
  entries(): BatchEntry[] {
    return this.segments.flatMap((s) => s.entries);
  }
}

export { segmentFileName };
