import { BatchLayout, buildBatch, checkBatchAt, crc32c, InvalidBatchError, parseBatches, setBaseOffset } from './record-batch';

describe('record batch v2', () => {
  it('computes CRC-32C (Castagnoli) check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('parses the header of a built batch', () => {
    const b = buildBatch({ records: [{ key: null, value: Buffer.from('a') }, { key: Buffer.from('k'), value: null }], producerId: 9, producerEpoch: 1, baseSequence: 4 });
    const [h] = parseBatches(b);
    expect(h).toMatchObject({ start: 0, size: b.length, lastOffsetDelta: 1, recordsCount: 2, producerId: 9, producerEpoch: 1, baseSequence: 4 });
  });

  it('assigns offsets without invalidating the CRC', () => {
    const b = buildBatch({ records: [{ key: null, value: Buffer.from('x') }] });
    setBaseOffset(b, 0, 123456789);
    const h = checkBatchAt(b, 0);
    expect(typeof h).toBe('object');
    expect((h as { baseOffset: number }).baseOffset).toBe(123456789);
  });

  it('splits several batches and rejects a flipped bit', () => {
    const a = buildBatch({ records: [{ key: null, value: Buffer.from('1') }] });
    const b = buildBatch({ records: [{ key: null, value: Buffer.from('2') }] });
    expect(parseBatches(Buffer.concat([a, b]))).toHaveLength(2);
    const bad = Buffer.from(b);
    bad[bad.length - 1] ^= 1;
    expect(() => parseBatches(bad)).toThrow(InvalidBatchError);
    expect(checkBatchAt(bad, 0)).toBe('crc');
  });

  it('reports truncation, old magic and bad lengths', () => {
    const a = buildBatch({ records: [{ key: null, value: Buffer.from('hello') }] });
    expect(checkBatchAt(a.subarray(0, a.length - 1), 0)).toBe('truncated');
    expect(checkBatchAt(a.subarray(0, 5), 0)).toBe('truncated');
    const old = Buffer.from(a);
    old[BatchLayout.MAGIC] = 1;
    expect(checkBatchAt(old, 0)).toBe('magic');
    const shortLen = Buffer.from(a);
    shortLen.writeInt32BE(3, BatchLayout.LENGTH);
    expect(checkBatchAt(shortLen, 0)).toBe('length');
  });
});
