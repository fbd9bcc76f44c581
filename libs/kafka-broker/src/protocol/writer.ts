const INITIAL = 1024;
/** Buffers at least this large are referenced, not copied, so record batches go out as they are. */
const ZERO_COPY_THRESHOLD = 4096;

/**
 * Growable writer for the Kafka wire primitives. Large byte payloads (record batches) are kept
 * as separate chunks so a fetch response is written with writev, never copied into one buffer.
 */
export class Writer {
  private chunks: Buffer[] = [];
  private cur: Buffer = Buffer.allocUnsafe(INITIAL);
  private pos = 0;
  private flushed = 0;

  get length(): number {
    return this.flushed + this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.cur.length) return;
    if (this.pos === 0) {
      this.cur = Buffer.allocUnsafe(Math.max(INITIAL, n));
      return;
    }
    // Grow in place when still small, otherwise seal this chunk and start another.
    if (this.cur.length < 65536) {
      const next = Buffer.allocUnsafe(Math.max(this.cur.length * 2, this.pos + n));
      this.cur.copy(next, 0, 0, this.pos);
      this.cur = next;
      return;
    }
    this.seal();
    this.cur = Buffer.allocUnsafe(Math.max(INITIAL * 16, n));
  }

  private seal(): void {
    if (this.pos > 0) {
      this.chunks.push(this.cur.subarray(0, this.pos));
      this.flushed += this.pos;
      this.cur = this.cur.subarray(this.pos);
      this.pos = 0;
    }
  }

  int8(v: number): this {
    this.ensure(1);
    this.cur.writeInt8(v, this.pos);
    this.pos += 1;
    return this;
  }

  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  int16(v: number): this {
    this.ensure(2);
    this.cur.writeInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }

  int32(v: number): this {
    this.ensure(4);
    this.cur.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  uint32(v: number): this {
    this.ensure(4);
    this.cur.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
    return this;
  }

  int64(v: number | bigint): this {
    this.ensure(8);
    this.cur.writeBigInt64BE(typeof v === 'bigint' ? v : BigInt(v), this.pos);
    this.pos += 8;
    return this;
  }

  nullableString(s: string | null | undefined): this {
    if (s === null || s === undefined) return this.int16(-1);
    const len = Buffer.byteLength(s, 'utf8');
    this.int16(len);
    this.ensure(len);
    this.cur.write(s, this.pos, 'utf8');
    this.pos += len;
    return this;
  }

  string(s: string): this {
    return this.nullableString(s);
  }

  nullableBytes(b: Buffer | null | undefined): this {
    if (b === null || b === undefined) return this.int32(-1);
    this.int32(b.length);
    return this.raw(b);
  }

  bytes(b: Buffer): this {
    return this.nullableBytes(b);
  }

  /** Bytes given as chunks (records of a fetch): one length, several zero-copy chunks. */
  bytesChunks(parts: Buffer[] | null): this {
    if (parts === null) return this.int32(-1);
    let total = 0;
    for (const p of parts) total += p.length;
    this.int32(total);
    for (const p of parts) this.raw(p);
    return this;
  }

  raw(b: Buffer): this {
    if (b.length >= ZERO_COPY_THRESHOLD) {
      this.seal();
      this.chunks.push(b);
      this.flushed += b.length;
      return this;
    }
    this.ensure(b.length);
    b.copy(this.cur, this.pos);
    this.pos += b.length;
    return this;
  }

  array<T>(items: readonly T[], each: (w: Writer, item: T) => void): this {
    this.int32(items.length);
    for (const item of items) each(this, item);
    return this;
  }

  nullableArray<T>(items: readonly T[] | null, each: (w: Writer, item: T) => void): this {
    if (items === null) return this.int32(-1);
    return this.array(items, each);
  }

  varint(v: number): this {
    return this.varlong(v);
  }

  varlong(v: number): this {
    let z = (BigInt(v) << 1n) ^ (BigInt(v) >> 63n);
    z = BigInt.asUintN(64, z);
    do {
      let b = Number(z & 0x7fn);
      z >>= 7n;
      if (z !== 0n) b |= 0x80;
      this.ensure(1);
      this.cur[this.pos++] = b;
    } while (z !== 0n);
    return this;
  }

  toBuffers(): Buffer[] {
    this.seal();
    return this.chunks;
  }

  toBuffer(): Buffer {
    const parts = this.toBuffers();
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }
}
