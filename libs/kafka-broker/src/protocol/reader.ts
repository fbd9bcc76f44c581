/** Raised when a request body cannot be decoded: the connection that sent it is closed. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** Bounds-checked reader for the Kafka wire primitives (big-endian, non-flexible versions). */
export class Reader {
  private pos: number;

  constructor(
    private readonly buf: Buffer,
    offset = 0,
    private readonly end = buf.length,
  ) {
    this.pos = offset;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): number {
    if (n < 0 || this.pos + n > this.end) {
      throw new ProtocolError(`truncated: need ${n} bytes at ${this.pos}, have ${this.end - this.pos}`);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.need(1));
  }

  bool(): boolean {
    return this.int8() !== 0;
  }

  int16(): number {
    return this.buf.readInt16BE(this.need(2));
  }

  int32(): number {
    return this.buf.readInt32BE(this.need(4));
  }

  uint32(): number {
    return this.buf.readUInt32BE(this.need(4));
  }

  /** int64 as a JS number: offsets, timestamps and producer ids stay far below 2^53. */
  int64(): number {
    return Number(this.buf.readBigInt64BE(this.need(8)));
  }

  nullableString(): string | null {
    const len = this.int16();
    if (len < -1) throw new ProtocolError(`bad string length ${len}`);
    if (len === -1) return null;
    const at = this.need(len);
    return this.buf.toString('utf8', at, at + len);
  }

  string(): string {
    const s = this.nullableString();
    return s ?? '';
  }

  nullableBytes(): Buffer | null {
    const len = this.int32();
    if (len < -1) throw new ProtocolError(`bad bytes length ${len}`);
    if (len === -1) return null;
    const at = this.need(len);
    return this.buf.subarray(at, at + len);
  }

  bytes(): Buffer {
    return this.nullableBytes() ?? Buffer.alloc(0);
  }

  /** Array with int32 count; null (-1) comes back as null. */
  nullableArray<T>(item: (r: Reader) => T): T[] | null {
    const n = this.int32();
    if (n < -1) throw new ProtocolError(`bad array length ${n}`);
    if (n === -1) return null;
    // Every element takes at least one byte: a count larger than what is left is garbage.
    if (n > this.remaining) throw new ProtocolError(`array length ${n} exceeds remaining ${this.remaining}`);
    const out: T[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = item(this);
    return out;
  }

  array<T>(item: (r: Reader) => T): T[] {
    return this.nullableArray(item) ?? [];
  }

  varint(): number {
    const v = this.varlong();
    if (v > 0x7fffffff || v < -0x80000000) throw new ProtocolError('varint overflow');
    return v;
  }

  /** Zig-zag varlong, kept as a number (safe for timestamp deltas and lengths). */
  varlong(): number {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.buf[this.need(1)];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        return Number((result >> 1n) ^ -(result & 1n));
      }
      shift += 7n;
    }
    throw new ProtocolError('varlong too long');
  }

  raw(n: number): Buffer {
    const at = this.need(n);
    return this.buf.subarray(at, at + n);
  }
}
