import * as fs from 'node:fs';
import * as path from 'node:path';
import { BatchHeader } from '../protocol/record-batch';
import { scanSegment } from './segment-scan';

/** One stored batch: where it lives and what offsets and time it covers. */
export interface BatchEntry {
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  size: number;
  /** Byte position inside its segment. */
  position: number;
  /** The bytes themselves, for in-memory segments. */
  data: Buffer | null;
}

/** A run of batches: a file on disk with a data directory, a list of buffers without. */
export interface Segment {
  readonly baseOffset: number;
  readonly entries: BatchEntry[];
  readonly size: number;
  append(batch: Buffer, header: { baseOffset: number; lastOffset: number; maxTimestamp: number }): BatchEntry;
  /** Bytes of entries [from, to) of this segment, as chunks. */
  read(from: number, to: number): Buffer[];
  maxTimestamp(): number;
  /** Flushes written bytes to stable storage (async, on the libuv pool). */
  sync(cb: (err: Error | null) => void): void;
  close(): void;
  remove(): void;
}

export class MemorySegment implements Segment {
  readonly entries: BatchEntry[] = [];
  size = 0;

  constructor(readonly baseOffset: number) {}

  append(batch: Buffer, h: { baseOffset: number; lastOffset: number; maxTimestamp: number }): BatchEntry {
    const entry: BatchEntry = { ...h, size: batch.length, position: this.size, data: batch };
    this.entries.push(entry);
    this.size += batch.length;
    return entry;
  }

  read(from: number, to: number): Buffer[] {
    const out: Buffer[] = [];
    for (let i = from; i < to; i++) out.push(this.entries[i].data as Buffer);
    return out;
  }

  maxTimestamp(): number {
    let m = -1;
    for (const e of this.entries) if (e.maxTimestamp > m) m = e.maxTimestamp;
    return m;
  }

  sync(cb: (err: Error | null) => void): void {
    cb(null);
  }

  close(): void {}

  remove(): void {
    this.entries.length = 0;
  }
}

/** How far ahead of the data a segment file is zero-filled. */
export const PREALLOCATE_BYTES = 4 * 1024 * 1024;
const ZEROS = Buffer.alloc(1024 * 1024);

function isAllZero(data: Buffer, from: number): boolean {
  for (let i = from; i < data.length; i++) if (data[i] !== 0) return false;
  return true;
}

export function segmentFileName(baseOffset: number): string {
  return String(baseOffset).padStart(20, '0') + '.log';
}

export interface RecoveryReport {
  validBytes: number;
  truncatedBytes: number;
  problem: string | null;
}

/**
 * A segment file in Kafka's own on-disk format: the record batches exactly as stored, one after
 * another. Each batch carries its length and a CRC-32C, so a torn tail is found by scanning.
 */
export class FileSegment implements Segment {
  readonly entries: BatchEntry[] = [];
  size = 0;
  private fd: number;
  private maxTs = -1;
  /** Bytes of the file already written (zeros past `size`): appends there change no metadata. */
  private allocated = 0;

  private constructor(
    readonly baseOffset: number,
    readonly file: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  static create(dir: string, baseOffset: number): FileSegment {
    const file = path.join(dir, segmentFileName(baseOffset));
    const fd = fs.openSync(file, 'w+');
    fsyncDir(dir);
    return new FileSegment(baseOffset, file, fd);
  }

  /**
   * Opens an existing segment and scans it. Batches must be intact (length, magic, CRC) and their
   * offsets must follow on from `expectedNext`; the first one that is not ends the valid part and
   * everything after it is cut off. `onBatch` sees every valid batch (producer state rebuild).
   */
  static recover(
    file: string,
    baseOffset: number,
    expectedNext: number,
    onBatch: (h: BatchHeader) => void,
  ): { segment: FileSegment; report: RecoveryReport } {
    const fd = fs.openSync(file, 'r+');
    const seg = new FileSegment(baseOffset, file, fd);
    const data = fs.readFileSync(file);
    const scan = scanSegment(data, expectedNext);
    for (const h of scan.batches) {
      const lastOffset = h.baseOffset + h.lastOffsetDelta;
      seg.entries.push({ baseOffset: h.baseOffset, lastOffset, maxTimestamp: h.maxTimestamp, size: h.size, position: h.start, data: null });
      if (h.maxTimestamp > seg.maxTs) seg.maxTs = h.maxTimestamp;
      onBatch(h);
    }
    const pos = scan.validBytes;
    const problem = scan.problem;
    seg.size = pos;
    seg.allocated = pos;
    let truncatedBytes = data.length - pos;
    if (truncatedBytes > 0) {
      fs.ftruncateSync(fd, pos);
      fs.fsyncSync(fd);
    }
    // Zeros after the data are preallocated space from a broker that did not close cleanly,
    // not a torn write: cut them without reporting.
    if (truncatedBytes > 0 && isAllZero(data, pos)) truncatedBytes = 0;
    return { segment: seg, report: { validBytes: pos, truncatedBytes, problem: truncatedBytes > 0 ? problem : null } };
  }

  append(batch: Buffer, h: { baseOffset: number; lastOffset: number; maxTimestamp: number }): BatchEntry {
    if (this.size + batch.length > this.allocated) this.preallocate(this.size + batch.length);
    let written = 0;
    while (written < batch.length) {
      written += fs.writeSync(this.fd, batch, written, batch.length - written, this.size + written);
    }
    const entry: BatchEntry = { ...h, size: batch.length, position: this.size, data: null };
    this.entries.push(entry);
    this.size += batch.length;
    if (h.maxTimestamp > this.maxTs) this.maxTs = h.maxTimestamp;
    return entry;
  }

  /**
   * Writes zeros ahead of the end of the data, in steps of PREALLOCATE_BYTES. An fdatasync after
   * an append inside space that is already written flushes only data pages: no file size or
   * block allocation change has to go through the file system journal, which keeps acks=-1
   * latency flat. Recovery ignores (and trims) the zero tail; a clean close trims it too.
   */
  private preallocate(needed: number): void {
    const target = Math.max(needed, this.allocated + PREALLOCATE_BYTES);
    let pos = this.allocated;
    while (pos < target) {
      const n = Math.min(ZEROS.length, target - pos);
      pos += fs.writeSync(this.fd, ZEROS, 0, n, pos);
    }
    this.allocated = target;
  }

  /** Cuts the preallocated zeros (on roll and close), so a closed segment is exactly its data. */
  trim(): void {
    if (this.fd >= 0 && this.allocated > this.size) {
      fs.ftruncateSync(this.fd, this.size);
      this.allocated = this.size;
    }
  }

  read(from: number, to: number): Buffer[] {
    if (to <= from) return [];
    const start = this.entries[from].position;
    const last = this.entries[to - 1];
    const len = last.position + last.size - start;
    const buf = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) {
      const n = fs.readSync(this.fd, buf, got, len - got, start + got);
      if (n === 0) throw new Error(`short read in ${this.file}`);
      got += n;
    }
    return [buf];
  }

  maxTimestamp(): number {
    return this.maxTs;
  }

  sync(cb: (err: Error | null) => void): void {
    if (this.fd < 0) {
      cb(null);
      return;
    }
    fs.fdatasync(this.fd, (err) => cb(err));
  }

  close(): void {
    if (this.fd >= 0) {
      try {
        this.trim();
        fs.fsyncSync(this.fd);
      } catch {
        // best effort: recovery trims the zero tail anyway
      }
      try {
        fs.closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = -1;
    }
  }

  remove(): void {
    if (this.fd >= 0) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = -1;
    }
    fs.rmSync(this.file, { force: true });
  }
}

export function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the data files are still synced.
  }
}
