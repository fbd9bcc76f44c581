import { silentLogger } from '../logger';
import { ErrorCode } from '../protocol/error-codes';
import { buildBatch, parseBatches } from '../protocol/record-batch';
import { PartitionLog } from './partition-log';

const config = { segmentBytes: 1024 * 1024, retentionBytes: -1, retentionMs: -1, maxMessageBytes: 1048588 };

function batch(n: number, opts: { producerId?: number; baseSequence?: number; ts?: number; size?: number } = {}): Buffer {
  return buildBatch({
    baseTimestamp: opts.ts,
    producerId: opts.producerId,
    producerEpoch: opts.producerId !== undefined ? 0 : -1,
    baseSequence: opts.baseSequence,
    records: Array.from({ length: n }, (_, i) => ({ key: null, value: Buffer.alloc(opts.size ?? 10, i) })),
  });
}

function append(log: PartitionLog, b: Buffer) {
  return log.append(b, parseBatches(b));
}

describe('partition log (in memory)', () => {
  it('assigns consecutive offsets and reads whole batches from any offset', () => {
    const log = PartitionLog.inMemory('t', 0, config, silentLogger);
    expect(append(log, batch(3)).baseOffset).toBe(0);
    expect(append(log, batch(2)).baseOffset).toBe(3);
    expect(log.highWatermark).toBe(5);
    const read = log.read(4, 1 << 20, true);
    const [h] = parseBatches(Buffer.concat(read.chunks));
    expect(h.baseOffset).toBe(3);
    expect(log.read(5, 1 << 20, true).chunks).toHaveLength(0);
  });

  it('respects max bytes but always returns the first batch when asked', () => {
    const log = PartitionLog.inMemory('t', 0, config, silentLogger);
    append(log, batch(1, { size: 500 }));
    append(log, batch(1, { size: 500 }));
    expect(log.read(0, 10, false).chunks).toHaveLength(0);
    expect(log.read(0, 10, true).chunks).toHaveLength(1);
    expect(log.read(0, 1 << 20, false).chunks).toHaveLength(2);
  });

  it('de-duplicates a resent idempotent batch', () => {
    const log = PartitionLog.inMemory('t', 0, config, silentLogger);
    const first = batch(5, { producerId: 3, baseSequence: 0 });
    const again = Buffer.from(first);
    expect(append(log, first)).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 0, duplicate: false });
    expect(append(log, again)).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 0, duplicate: true });
    expect(log.highWatermark).toBe(5);
    expect(append(log, batch(1, { producerId: 3, baseSequence: 9 })).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(append(log, batch(1, { producerId: 3, baseSequence: 5 })).baseOffset).toBe(5);
  });

  it('refuses a batch over max.message.bytes', () => {
    const log = PartitionLog.inMemory('t', 0, { ...config, maxMessageBytes: 100 }, silentLogger);
    expect(append(log, batch(1, { size: 200 })).errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    expect(log.highWatermark).toBe(0);
  });

  it('drops whole old segments by size and by age', () => {
    const log = PartitionLog.inMemory('t', 0, { ...config, segmentBytes: 300, retentionBytes: 700 }, silentLogger);
    for (let i = 0; i < 10; i++) append(log, batch(1, { size: 150 }));
    log.enforceRetention(Date.now());
    expect(log.logStartOffset).toBeGreaterThan(0);
    expect(log.sizeBytes).toBeLessThanOrEqual(700 + 300);
    expect(log.read(0, 1 << 20, true).chunks).toHaveLength(0);

    const aged = PartitionLog.inMemory('t', 0, { ...config, retentionMs: 1000 }, silentLogger);
    append(aged, batch(2, { ts: Date.now() - 10000 }));
    aged.enforceRetention(Date.now());
    expect(aged.logStartOffset).toBe(2);
    expect(aged.highWatermark).toBe(2);
    expect(append(aged, batch(1)).baseOffset).toBe(2);
  });

  it('finds offsets by timestamp and moves the start offset on DeleteRecords', () => {
    const log = PartitionLog.inMemory('t', 0, config, silentLogger);
    append(log, batch(2, { ts: 1000 }));
    append(log, batch(2, { ts: 2000 }));
    expect(log.offsetForTimestamp(1500)).toBe(2);
    expect(log.offsetForTimestamp(1000)).toBe(0);
    expect(log.offsetForTimestamp(5000)).toBe(-1);
    expect(log.deleteRecordsBefore(3)).toBe(ErrorCode.NONE);
    expect(log.logStartOffset).toBe(3);
    expect(log.deleteRecordsBefore(99)).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
  });

  it('finds the exact record by timestamp inside an uncompressed batch', () => {
    const log = PartitionLog.inMemory('t', 0, config, silentLogger);
    const b = buildBatch({ baseTimestamp: 1000, records: [0, 10, 20, 30].map((d) => ({ key: null, value: Buffer.from('v'), timestampDelta: d })) });
    append(log, b);
    expect(log.offsetForTimestamp(1015)).toBe(2);
    expect(log.offsetForTimestamp(1030)).toBe(3);
    expect(log.offsetForTimestamp(1031)).toBe(-1);
  });

  it('wakes waiters on append', () => {
    const log = PartitionLog.inMemory('t', 0, config, silentLogger);
    const fn = jest.fn();
    log.addWaiter(fn);
    append(log, batch(1));
    expect(fn).toHaveBeenCalledTimes(1);
    log.removeWaiter(fn);
    append(log, batch(1));
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
