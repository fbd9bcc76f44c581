import { buildBatch, setBaseOffset } from '../protocol/record-batch';
import { scanSegment } from './segment-scan';

function batchAt(offset: number, n: number): Buffer {
  const b = buildBatch({ records: Array.from({ length: n }, (_, i) => ({ key: null, value: Buffer.from(`v${offset + i}`) })) });
  setBaseOffset(b, 0, offset);
  return b;
}

describe('log recovery scan', () => {
  const good = Buffer.concat([batchAt(10, 2), batchAt(12, 3), batchAt(15, 1)]);

  it('accepts an intact segment', () => {
    const r = scanSegment(good, 10);
    expect(r.problem).toBeNull();
    expect(r.validBytes).toBe(good.length);
    expect(r.batches.map((b) => b.baseOffset)).toEqual([10, 12, 15]);
  });

  it('cuts a torn tail at the last whole batch', () => {
    const last = batchAt(16, 4);
    for (const cut of [1, 11, 12, 30, last.length - 1]) {
      const r = scanSegment(Buffer.concat([good, last.subarray(0, cut)]), 10);
      expect(r.validBytes).toBe(good.length);
      expect(r.problem).toBe('truncated');
    }
  });

  it('cuts at a corrupt batch even if later bytes look fine', () => {
    const corrupt = batchAt(16, 2);
    corrupt[corrupt.length - 2] ^= 0xff;
    const r = scanSegment(Buffer.concat([good, corrupt, batchAt(18, 1)]), 10);
    expect(r.validBytes).toBe(good.length);
    expect(r.problem).toBe('crc');
  });

  it('cuts at an offset gap, overlap or zeroed tail (preallocated garbage)', () => {
    expect(scanSegment(Buffer.concat([good, batchAt(20, 1)]), 10).validBytes).toBe(good.length);
    expect(scanSegment(Buffer.concat([good, batchAt(14, 1)]), 10).validBytes).toBe(good.length);
    const z = scanSegment(Buffer.concat([good, Buffer.alloc(100)]), 10);
    expect(z.validBytes).toBe(good.length);
    expect(z.problem).not.toBeNull();
  });

  it('rejects a segment whose first batch does not start at the file base offset', () => {
    expect(scanSegment(good, 0).validBytes).toBe(0);
  });
});
