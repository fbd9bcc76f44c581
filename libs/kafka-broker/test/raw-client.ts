import * as net from 'node:net';
import { Reader } from '../src/protocol/reader';
import { Writer } from '../src/protocol/writer';

/** A bare socket speaking Kafka framing, for tests that send what kafkajs never would. */
export class RawClient {
  private buf = Buffer.alloc(0);
  private waiters: Array<(frame: Buffer) => void> = [];
  private frames: Buffer[] = [];
  closed = false;
  private closeWaiters: Array<() => void> = [];

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      while (this.buf.length >= 4 && this.buf.length >= 4 + this.buf.readInt32BE(0)) {
        const size = this.buf.readInt32BE(0);
        const frame = this.buf.subarray(4, 4 + size);
        this.buf = this.buf.subarray(4 + size);
        const w = this.waiters.shift();
        if (w) w(frame);
        else this.frames.push(frame);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.closeWaiters) w();
    });
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Frames a request: size, api key, version, correlation id, client id, body. */
  static frame(apiKey: number, version: number, correlationId: number, body: Buffer = Buffer.alloc(0), clientId: string | null = 'raw'): Buffer {
    const payload = new Writer().int16(apiKey).int16(version).int32(correlationId).nullableString(clientId).raw(body).toBuffer();
    return Buffer.concat([new Writer().int32(payload.length).toBuffer(), payload]);
  }

  request(apiKey: number, version: number, correlationId: number, body: Buffer = Buffer.alloc(0)): Promise<Reader> {
    this.write(RawClient.frame(apiKey, version, correlationId, body));
    return this.next().then((frame) => {
      const r = new Reader(frame);
      const cid = r.int32();
      if (cid !== correlationId) throw new Error(`correlation id ${cid}, expected ${correlationId}`);
      return r;
    });
  }

  next(ms = 10000): Promise<Buffer> {
    const f = this.frames.shift();
    if (f) return Promise.resolve(f);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no response')), ms);
      this.waiters.push((frame) => {
        clearTimeout(t);
        resolve(frame);
      });
    });
  }

  /** Resolves true if the broker closes the connection within `ms`. */
  waitClosed(ms = 5000): Promise<boolean> {
    if (this.closed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), ms);
      this.closeWaiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Request bodies and answer parsers for the few APIs raw tests use. */
export const raw = {
  metadataV4(topics: string[], autoCreate = true): Buffer {
    return new Writer().array(topics, (w, t) => w.string(t)).bool(autoCreate).toBuffer();
  },

  produceV3(topic: string, partition: number, records: Buffer, acks = -1): Buffer {
    return new Writer()
      .nullableString(null)
      .int16(acks)
      .int32(1000)
      .array([0], (w) => w.string(topic).array([0], (x) => x.int32(partition).bytes(records)))
      .toBuffer();
  },

  fetchV4(topic: string, partition: number, offset: number, o: { maxWaitMs?: number; minBytes?: number; maxBytes?: number; partitionMaxBytes?: number } = {}): Buffer {
    return new Writer()
      .int32(-1)
      .int32(o.maxWaitMs ?? 0)
      .int32(o.minBytes ?? 1)
      .int32(o.maxBytes ?? 1 << 20)
      .int8(0)
      .array([0], (w) => w.string(topic).array([0], (x) => x.int32(partition).int64(offset).int32(o.partitionMaxBytes ?? 1 << 20)))
      .toBuffer();
  },

  /** First partition of a Fetch v4 answer (after the correlation id). */
  readFetchV4(r: Reader): { errorCode: number; highWatermark: number; records: Buffer } {
    r.int32(); // throttle
    r.int32(); // topics
    r.string();
    r.int32(); // partitions
    r.int32(); // partition
    const errorCode = r.int16();
    const highWatermark = r.int64();
    r.int64(); // last stable offset
    r.array((x) => [x.int64(), x.int64()]); // aborted transactions
    return { errorCode, highWatermark, records: r.bytes() };
  },

  readProduceV3(r: Reader): { errorCode: number; baseOffset: number } {
    r.int32();
    r.string();
    r.int32();
    r.int32();
    return { errorCode: r.int16(), baseOffset: r.int64() };
  },
};
