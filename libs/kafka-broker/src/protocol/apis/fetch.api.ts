import { PartitionLog } from '../../log/partition-log';
import { ApiHandler, RequestContext } from '../api';
import { ApiKey } from '../api-keys';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

interface FetchPartition {
  partition: number;
  fetchOffset: number;
  maxBytes: number;
}

interface FetchTopic {
  topic: string;
  partitions: FetchPartition[];
}

interface PartitionData {
  partition: number;
  errorCode: number;
  highWatermark: number;
  logStartOffset: number;
  chunks: Buffer[] | null;
}

const FETCH_SESSION_ID_NOT_FOUND = 70;

/**
 * Fetch v4-11: whole batches from the fetch offset, byte for byte. Long poll: if less than
 * min_bytes is there, wait for appends up to max_wait_ms. No fetch sessions (session id 0).
 */
export const fetchApi: ApiHandler = {
  key: ApiKey.Fetch,
  name: 'Fetch',
  minVersion: 4,
  maxVersion: 11,
  handle(r, ctx) {
    const v = ctx.apiVersion;
    r.int32(); // replica id
    const maxWaitMs = r.int32();
    const minBytes = r.int32();
    const maxBytes = r.int32();
    r.int8(); // isolation level: no transactions, so both levels read the same
    let sessionId = 0;
    if (v >= 7) {
      sessionId = r.int32();
      r.int32(); // session epoch: full fetches only, so nothing to check
    }
    const topics: FetchTopic[] = r.array((x) => ({
      topic: x.string(),
      partitions: x.array((y) => {
        const partition = y.int32();
        if (v >= 9) y.int32(); // current leader epoch
        const fetchOffset = y.int64();
        if (v >= 5) y.int64(); // log start offset (followers only)
        return { partition, fetchOffset, maxBytes: y.int32() };
      }),
    }));
    if (v >= 7) r.array((x) => ({ topic: x.string(), partitions: x.array((y) => y.int32()) }));
    if (v >= 11) r.string();

    if (v >= 7 && sessionId !== 0) {
      return encode(v, FETCH_SESSION_ID_NOT_FOUND, []);
    }
    return longPoll(ctx, topics, maxWaitMs, Math.max(minBytes, 0), maxBytes > 0 ? maxBytes : 0x7fffffff);
  },
};

function collect(ctx: RequestContext, topics: FetchTopic[], maxBytes: number) {
  let total = 0;
  let hasError = false;
  const out = topics.map((t) => ({
    topic: t.topic,
    partitions: t.partitions.map((p): PartitionData => {
      const log = ctx.core.logs.partition(t.topic, p.partition);
      if (!log) {
        hasError = true;
        return { partition: p.partition, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, highWatermark: -1, logStartOffset: -1, chunks: null };
      }
      const base = { partition: p.partition, highWatermark: log.highWatermark, logStartOffset: log.logStartOffset };
      if (p.fetchOffset > log.highWatermark || p.fetchOffset < log.logStartOffset) {
        hasError = true;
        return { ...base, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, chunks: null };
      }
      const room = Math.min(p.maxBytes, maxBytes - total);
      const read = room > 0 || total === 0 ? log.read(p.fetchOffset, Math.max(room, 0), total === 0) : { chunks: [], bytes: 0 };
      total += read.bytes;
      return { ...base, errorCode: ErrorCode.NONE, chunks: read.chunks };
    }),
  }));
  return { topics: out, total, hasError };
}

function availableBytes(ctx: RequestContext, topics: FetchTopic[], cap: number): number {
  let n = 0;
  for (const t of topics) {
    for (const p of t.partitions) {
      const log = ctx.core.logs.partition(t.topic, p.partition);
      if (!log) return cap; // topic gone: answer now with the error
      if (p.fetchOffset > log.highWatermark || p.fetchOffset < log.logStartOffset) return cap;
      n += log.availableBytes(p.fetchOffset, cap - n);
      if (n >= cap) return n;
    }
  }
  return n;
}

function longPoll(
  ctx: RequestContext,
  topics: FetchTopic[],
  maxWaitMs: number,
  minBytes: number,
  maxBytes: number,
): Writer | Promise<Writer> {
  const v = ctx.apiVersion;
  const ready = (): boolean => availableBytes(ctx, topics, Math.max(minBytes, 1)) >= minBytes;
  if (maxWaitMs <= 0 || minBytes <= 0 || ready() || ctx.core.stopping) {
    const c = collect(ctx, topics, maxBytes);
    return encode(v, ErrorCode.NONE, c.topics);
  }
  return new Promise<Writer>((resolve, reject) => {
    const logs: PartitionLog[] = [];
    for (const t of topics) {
      for (const p of t.partitions) {
        const log = ctx.core.logs.partition(t.topic, p.partition);
        if (log && !logs.includes(log)) logs.push(log);
      }
    }
    let done = false;
    let scheduled = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      for (const l of logs) l.removeWaiter(wake);
      unregisterClose();
      ctx.core.pendingFetches.delete(finish);
      try {
        const c = collect(ctx, topics, maxBytes);
        resolve(encode(v, ErrorCode.NONE, c.topics));
      } catch (err) {
        reject(err); // the connection is closed; the broker carries on
      }
    };
    const wake = (): void => {
      if (scheduled || done) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        try {
          if (!done && (ready() || ctx.core.stopping)) finish();
        } catch (err) {
          reject(err);
        }
      });
    };
    const timer = setTimeout(finish, maxWaitMs);
    for (const l of logs) l.addWaiter(wake);
    ctx.core.pendingFetches.add(finish);
    const unregisterClose = ctx.onClose(() => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      for (const l of logs) l.removeWaiter(wake);
      ctx.core.pendingFetches.delete(finish);
      resolve(new Writer());
    });
  });
}

function encode(v: number, errorCode: number, topics: Array<{ topic: string; partitions: PartitionData[] }>): Writer {
  const w = new Writer();
  w.int32(0); // throttle
  if (v >= 7) w.int16(errorCode).int32(0);
  w.array(topics, (x, t) => {
    x.string(t.topic);
    x.array(t.partitions, (y, p) => {
      y.int32(p.partition).int16(p.errorCode).int64(p.highWatermark);
      y.int64(p.highWatermark); // last stable offset: no transactions
      if (v >= 5) y.int64(p.logStartOffset);
      y.int32(0); // aborted transactions: none
      if (v >= 11) y.int32(-1); // preferred read replica: none
      y.bytesChunks(p.chunks ?? []);
    });
  });
  return w;
}
