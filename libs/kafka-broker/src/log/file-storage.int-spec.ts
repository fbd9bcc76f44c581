import * as fs from 'node:fs';
import * as path from 'node:path';
import { OffsetStore } from '../group/offset-store';
import { BrokerLogger, silentLogger } from '../logger';
import { buildBatch, parseBatches } from '../protocol/record-batch';
import { withTempDir } from '../../test/helpers';
import { PartitionLog } from './partition-log';
import { PREALLOCATE_BYTES } from './segment';

const config = { segmentBytes: 64 * 1024, retentionBytes: -1, retentionMs: -1, maxMessageBytes: 1048588 };

function batch(n: number, opts: { size?: number; ts?: number; producerId?: number; baseSequence?: number } = {}): Buffer {
  return buildBatch({
    baseTimestamp: opts.ts,
    producerId: opts.producerId,
    producerEpoch: opts.producerId !== undefined ? 0 : -1,
    baseSequence: opts.baseSequence,
    records: Array.from({ length: n }, (_, i) => ({ key: null, value: Buffer.alloc(opts.size ?? 100, 65 + (i % 26)) })),
  });
}

function append(log: PartitionLog, b: Buffer) {
  return log.append(b, parseBatches(b));
}

function recordingLogger(): BrokerLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...silentLogger, warnings, warn: (_f, msg) => void warnings.push(msg) };
}

/** The on-disk log and offsets store, without TCP: files, recovery, retention. */
describe('file-backed storage', () => {
  let tmp: { dir: string; cleanup: () => void };
  beforeEach(async () => {
    tmp = await withTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('reopens a log with the same offsets, batches and producer state; rolls segments', async () => {
    const dir = path.join(tmp.dir, 't-0');
    const log = PartitionLog.open(dir, 't', 0, config, silentLogger);
    for (let i = 0; i < 40; i++) append(log, batch(5, { size: 500 }));
    append(log, batch(2, { producerId: 77, baseSequence: 0 }));
    await log.sync();
    const before = Buffer.concat(log.read(0, 1 << 30, true).chunks);
    log.close();
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.log'));
    expect(files.length).toBeGreaterThan(1);
    for (const f of files) expect(fs.statSync(path.join(dir, f)).size).toBeLessThanOrEqual(config.segmentBytes + 4096);

    const again = PartitionLog.open(dir, 't', 0, config, silentLogger);
    expect(again.highWatermark).toBe(202);
    expect(Buffer.concat(again.read(0, 1 << 30, true).chunks).equals(before)).toBe(true);
    // The idempotent producer's last batch is known again after the restart.
    expect(append(again, batch(2, { producerId: 77, baseSequence: 0 }))).toMatchObject({ duplicate: true, baseOffset: 200 });
    again.close();
  });

  it('treats a preallocated zero tail (unclean stop) as free space, not as damage', () => {
    const dir = path.join(tmp.dir, 't-0');
    const log = PartitionLog.open(dir, 't', 0, config, silentLogger);
    append(log, batch(3));
    const file = path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.log')) as string);
    expect(fs.statSync(file).size).toBeGreaterThanOrEqual(PREALLOCATE_BYTES); // zero-filled ahead
    // Simulate a crash: no close(), so no trim. Reopen from the files as they are.
    const logger = recordingLogger();
    const again = PartitionLog.open(dir, 't', 0, config, logger);
    expect(again.highWatermark).toBe(3);
    expect(logger.warnings).toEqual([]);
    expect(append(again, batch(1)).baseOffset).toBe(3);
    again.close();
    log.close();
  });

  it('cuts a torn batch and drops later segments after a corrupt one', () => {
    const dir = path.join(tmp.dir, 't-0');
    const log = PartitionLog.open(dir, 't', 0, config, silentLogger);
    for (let i = 0; i < 60; i++) append(log, batch(5, { size: 500 }));
    log.close();
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.log')).sort();
    expect(files.length).toBeGreaterThanOrEqual(3);
    // Corrupt one byte in the middle of the second segment.
    const second = path.join(dir, files[1]);
    const data = fs.readFileSync(second);
    data[Math.floor(data.length / 2)] ^= 0xff;
    fs.writeFileSync(second, data);
    const logger = recordingLogger();
    const again = PartitionLog.open(dir, 't', 0, config, logger);
    expect(logger.warnings).toContain('cut a torn or corrupt tail off the log');
    const remaining = fs.readdirSync(dir).filter((f) => f.endsWith('.log'));
    expect(remaining.length).toBe(2);
    expect(again.highWatermark).toBeGreaterThan(0);
    expect(again.highWatermark).toBeLessThan(300);
    // Everything served is intact and the log continues from the cut.
    const served = Buffer.concat(again.read(0, 1 << 30, true).chunks);
    expect(parseBatches(served).length).toBe(again.highWatermark / 5);
    expect(append(again, batch(1)).baseOffset).toBe(again.highWatermark - 1);
    again.close();
  });

  it('deletes old segment files by size and by age, and remembers the start offset', () => {
    const dir = path.join(tmp.dir, 't-0');
    const log = PartitionLog.open(dir, 't', 0, { ...config, retentionBytes: 100 * 1024 }, silentLogger);
    for (let i = 0; i < 100; i++) append(log, batch(2, { size: 1000 }));
    const segsBefore = fs.readdirSync(dir).filter((f) => f.endsWith('.log')).length;
    log.enforceRetention(Date.now());
    const segsAfter = fs.readdirSync(dir).filter((f) => f.endsWith('.log')).length;
    expect(segsAfter).toBeLessThan(segsBefore);
    expect(log.logStartOffset).toBeGreaterThan(0);
    const start = log.logStartOffset;
    log.close();
    const again = PartitionLog.open(dir, 't', 0, config, silentLogger);
    expect(again.logStartOffset).toBe(start);
    expect(again.highWatermark).toBe(200);
    again.close();

    const aged = PartitionLog.open(path.join(tmp.dir, 'a-0'), 'a', 0, { ...config, retentionMs: 60000 }, silentLogger);
    append(aged, batch(4, { ts: Date.now() - 3600000 }));
    aged.enforceRetention(Date.now());
    expect(aged.logStartOffset).toBe(4);
    aged.close();
    const agedAgain = PartitionLog.open(path.join(tmp.dir, 'a-0'), 'a', 0, config, silentLogger);
    expect(agedAgain.logStartOffset).toBe(4);
    expect(agedAgain.highWatermark).toBe(4);
    agedAgain.close();
  });

  it('keeps committed offsets across reopen, cuts a torn frame, compacts on load', async () => {
    const meta = path.join(tmp.dir, 'meta');
    const store = new OffsetStore(meta, silentLogger, true);
    store.load();
    for (let i = 0; i < 50; i++) await store.commit('g1', [{ topic: 't', partition: i % 3, offset: i, metadata: i === 49 ? 'm' : null }]);
    await store.commit('g2', [{ topic: 't', partition: 0, offset: 5, metadata: null }]);
    await store.deleteGroup('g2');
    store.close();
    const file = path.join(meta, 'offsets.log');
    fs.appendFileSync(file, Buffer.from([0, 0, 0, 50, 1, 2, 3, 4, 123, 34])); // torn frame

    const logger = recordingLogger();
    const again = new OffsetStore(meta, logger);
    again.load();
    expect(logger.warnings).toContain('cut a torn tail off the offsets log');
    expect(again.get('g1', 't', 0)?.offset).toBe(48);
    expect(again.get('g1', 't', 1)?.offset).toBe(49);
    expect(again.get('g1', 't', 1)?.metadata).toBe('m');
    expect(again.get('g2', 't', 0)).toBeUndefined();
    // Rewritten compactly: one frame for g1.
    expect(fs.statSync(file).size).toBeLessThan(200);
    again.close();
  });
});
