import { ProtocolError, Reader } from './reader';
import { Writer } from './writer';

describe('wire primitives', () => {
  it('round-trips fixed-width values, strings, bytes and arrays', () => {
    const w = new Writer()
      .int8(-3)
      .bool(true)
      .int16(-1234)
      .int32(0x7fffffff)
      .int64(2 ** 40 + 7)
      .string('héllo')
      .nullableString(null)
      .bytes(Buffer.from([1, 2, 3]))
      .nullableBytes(null)
      .array([1, 2, 3], (x, n) => x.int32(n))
      .nullableArray(null, (x, n: number) => x.int32(n));
    const r = new Reader(w.toBuffer());
    expect(r.int8()).toBe(-3);
    expect(r.bool()).toBe(true);
    expect(r.int16()).toBe(-1234);
    expect(r.int32()).toBe(0x7fffffff);
    expect(r.int64()).toBe(2 ** 40 + 7);
    expect(r.string()).toBe('héllo');
    expect(r.nullableString()).toBeNull();
    expect([...r.bytes()]).toEqual([1, 2, 3]);
    expect(r.nullableBytes()).toBeNull();
    expect(r.array((x) => x.int32())).toEqual([1, 2, 3]);
    expect(r.nullableArray((x) => x.int32())).toBeNull();
    expect(r.remaining).toBe(0);
  });

  it.each([0, 1, -1, 63, -64, 64, 300, -300, 2 ** 31 - 1, -(2 ** 31), 2 ** 40, -(2 ** 45)])('zig-zag varlong %d', (n) => {
    const buf = new Writer().varlong(n).toBuffer();
    expect(new Reader(buf).varlong()).toBe(n);
  });

  it('encodes varints like Kafka (zig-zag, 7 bits a byte)', () => {
    expect([...new Writer().varint(0).toBuffer()]).toEqual([0]);
    expect([...new Writer().varint(-1).toBuffer()]).toEqual([1]);
    expect([...new Writer().varint(1).toBuffer()]).toEqual([2]);
    expect([...new Writer().varint(64).toBuffer()]).toEqual([0x80, 0x01]);
  });

  it('throws ProtocolError on truncated input and absurd lengths', () => {
    expect(() => new Reader(Buffer.from([0, 1])).int32()).toThrow(ProtocolError);
    expect(() => new Reader(Buffer.from([0, 5, 65])).string()).toThrow(ProtocolError);
    expect(() => new Reader(Buffer.from([0x7f, 0xff, 0xff, 0xff])).array((x) => x.int8())).toThrow(ProtocolError);
    expect(() => new Reader(Buffer.from([0xff, 0xff, 0xff, 0xfe])).bytes()).toThrow(ProtocolError);
    expect(() => new Reader(Buffer.alloc(11, 0xff)).varlong()).toThrow(ProtocolError);
  });

  it('keeps large byte payloads as separate chunks (zero copy)', () => {
    const big = Buffer.alloc(10000, 7);
    const w = new Writer().int32(1).bytes(big).int16(2);
    const parts = w.toBuffers();
    expect(parts).toContain(big);
    expect(w.length).toBe(4 + 4 + 10000 + 2);
    const r = new Reader(w.toBuffer());
    expect(r.int32()).toBe(1);
    expect(r.bytes().equals(big)).toBe(true);
    expect(r.int16()).toBe(2);
  });

  it('grows past many small writes', () => {
    const w = new Writer();
    for (let i = 0; i < 50000; i++) w.int32(i);
    const r = new Reader(w.toBuffer());
    for (let i = 0; i < 50000; i++) expect(r.int32()).toBe(i);
  });
});
