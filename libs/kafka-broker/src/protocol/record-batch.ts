import { Reader } from './reader';
import { Writer } from './writer';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const CRC32C: { buf(data: Uint8Array, seed?: number): number } = require('crc-32/crc32c');

/** Byte positions inside a v2 record batch (see Kafka's DefaultRecordBatch). */
export const BatchLayout = {
  BASE_OFFSET: 0,
  LENGTH: 8,
  PARTITION_LEADER_EPOCH: 12,
  MAGIC: 16,
  CRC: 17,
  ATTRIBUTES: 21,
  LAST_OFFSET_DELTA: 23,
  BASE_TIMESTAMP: 27,
  MAX_TIMESTAMP: 35,
  PRODUCER_ID: 43,
  PRODUCER_EPOCH: 51,
  BASE_SEQUENCE: 53,
  RECORDS_COUNT: 57,
  HEADER_SIZE: 61,
  /** baseOffset + length: the length field counts the bytes after it. */
  LOG_OVERHEAD: 12,
} as const;

export interface BatchHeader {
  /** Position of the batch in the buffer it was parsed from. */
  start: number;
  /** Whole batch size in bytes, including baseOffset and length. */
  size: number;
  baseOffset: number;
  lastOffsetDelta: number;
  attributes: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
}

export type BatchProblem = 'truncated' | 'magic' | 'crc' | 'length' | 'count';

export class InvalidBatchError extends Error {
  constructor(
    readonly problem: BatchProblem,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidBatchError';
  }
}

export function crc32c(data: Uint8Array): number {
  return CRC32C.buf(data) >>> 0;
}

export function isTransactional(attributes: number): boolean {
  return (attributes & 0x10) !== 0;
}

export function isControl(attributes: number): boolean {
  return (attributes & 0x20) !== 0;
}

export function compressionCodec(attributes: number): number {
  return attributes & 0x07;
}

/**
 * Reads the header of the batch at `pos` and checks it: complete, magic 2, CRC-32C over
 * attributes..end. Returns the problem instead of throwing so log recovery can cut a torn tail.
 */
export function checkBatchAt(buf: Buffer, pos: number, verifyCrc = true): BatchHeader | BatchProblem {
  if (buf.length - pos < BatchLayout.LOG_OVERHEAD) return 'truncated';
  const length = buf.readInt32BE(pos + BatchLayout.LENGTH);
  const size = length + BatchLayout.LOG_OVERHEAD;
  if (length < BatchLayout.HEADER_SIZE - BatchLayout.LOG_OVERHEAD) return 'length';
  if (buf.length - pos < size) return 'truncated';
  if (buf.readInt8(pos + BatchLayout.MAGIC) !== 2) return 'magic';
  if (verifyCrc) {
    const stored = buf.readUInt32BE(pos + BatchLayout.CRC);
    const actual = crc32c(buf.subarray(pos + BatchLayout.ATTRIBUTES, pos + size));
    if (stored !== actual) return 'crc';
  }
  const lastOffsetDelta = buf.readInt32BE(pos + BatchLayout.LAST_OFFSET_DELTA);
  const recordsCount = buf.readInt32BE(pos + BatchLayout.RECORDS_COUNT);
  if (lastOffsetDelta < 0 || recordsCount < 0) return 'count';
  return {
    start: pos,
    size,
    baseOffset: Number(buf.readBigInt64BE(pos + BatchLayout.BASE_OFFSET)),
    lastOffsetDelta,
    attributes: buf.readInt16BE(pos + BatchLayout.ATTRIBUTES),
    baseTimestamp: Number(buf.readBigInt64BE(pos + BatchLayout.BASE_TIMESTAMP)),
    maxTimestamp: Number(buf.readBigInt64BE(pos + BatchLayout.MAX_TIMESTAMP)),
    producerId: Number(buf.readBigInt64BE(pos + BatchLayout.PRODUCER_ID)),
    producerEpoch: buf.readInt16BE(pos + BatchLayout.PRODUCER_EPOCH),
    baseSequence: buf.readInt32BE(pos + BatchLayout.BASE_SEQUENCE),
    recordsCount,
  };
}

/** Splits the records of a produce request into batches; throws InvalidBatchError on any defect. */
export function parseBatches(buf: Buffer): BatchHeader[] {
  const out: BatchHeader[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const h = checkBatchAt(buf, pos);
    if (typeof h === 'string') throw new InvalidBatchError(h, `invalid record batch at ${pos}: ${h}`);
    out.push(h);
    pos += h.size;
  }
  return out;
}

/** Assigns offsets without touching the CRC: baseOffset and partitionLeaderEpoch precede it. */
export function setBaseOffset(buf: Buffer, pos: number, baseOffset: number, leaderEpoch = 0): void {
  buf.writeBigInt64BE(BigInt(baseOffset), pos + BatchLayout.BASE_OFFSET);
  buf.writeInt32BE(leaderEpoch, pos + BatchLayout.PARTITION_LEADER_EPOCH);
}

export interface RecordInput {
  key: Buffer | null;
  value: Buffer | null;
  headers?: Array<{ key: string; value: Buffer | null }>;
  timestampDelta?: number;
}

/**
 * Builds an uncompressed v2 batch. The broker only needs this in tests and tools; producers
 * bring their own batches.
 */
export function buildBatch(opts: {
  baseOffset?: number;
  baseTimestamp?: number;
  records: RecordInput[];
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  attributes?: number;
}): Buffer {
  const recs = new Writer();
  opts.records.forEach((r, i) => {
    const body = new Writer();
    body.int8(0).varlong(r.timestampDelta ?? 0).varint(i);
    writeVarBytes(body, r.key);
    writeVarBytes(body, r.value);
    const headers = r.headers ?? [];
    body.varint(headers.length);
    for (const h of headers) {
      writeVarBytes(body, Buffer.from(h.key, 'utf8'));
      writeVarBytes(body, h.value);
    }
    const b = body.toBuffer();
    recs.varint(b.length).raw(b);
  });
  const recordsBuf = recs.toBuffer();
  const ts = opts.baseTimestamp ?? Date.now();
  const afterCrc = new Writer()
    .int16(opts.attributes ?? 0)
    .int32(Math.max(opts.records.length - 1, 0))
    .int64(ts)
    .int64(ts + Math.max(0, ...opts.records.map((r) => r.timestampDelta ?? 0)))
    .int64(opts.producerId ?? -1)
    .int16(opts.producerEpoch ?? -1)
    .int32(opts.baseSequence ?? -1)
    .int32(opts.records.length)
    .raw(recordsBuf)
    .toBuffer();
  const head = new Writer()
    .int64(opts.baseOffset ?? 0)
    .int32(afterCrc.length + 4 + 1 + 4)
    .int32(0)
    .int8(2)
    .uint32(crc32c(afterCrc))
    .toBuffer();
  return Buffer.concat([head, afterCrc]);
}

function writeVarBytes(w: Writer, b: Buffer | null): void {
  if (b === null) {
    w.varint(-1);
  } else {
    w.varint(b.length).raw(b);
  }
}

/**
 * Offset of the first record with timestamp >= ts (and offset >= minOffset) in an uncompressed
 * batch; null when the batch is compressed or unreadable, so the caller falls back to its base.
 */
export function firstOffsetAtOrAfter(batch: Buffer, ts: number, minOffset: number): number | null {
  const h = checkBatchAt(batch, 0, false);
  if (typeof h === 'string' || compressionCodec(h.attributes) !== 0) return null;
  try {
    const r = new Reader(batch, BatchLayout.HEADER_SIZE, h.size);
    for (let i = 0; i < h.recordsCount; i++) {
      const len = r.varint();
      const start = r.offset;
      r.int8(); // attributes
      const tsDelta = r.varlong();
      const offsetDelta = r.varint();
      const offset = h.baseOffset + offsetDelta;
      if (h.baseTimestamp + tsDelta >= ts && offset >= minOffset) return offset;
      r.raw(len - (r.offset - start));
    }
  } catch {
    return null;
  }
  return null;
}
