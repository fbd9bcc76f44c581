import type { Socket } from 'node:net';
import type { BrokerCore } from '../broker-core';
import { ApiHandler, RequestContext } from '../protocol/api';
import { ApiKey } from '../protocol/api-keys';
import { encodeApiVersions } from '../protocol/apis/api-versions.api';
import { ErrorCode } from '../protocol/error-codes';
import { ProtocolError, Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';

interface Slot {
  correlationId: number;
  done: boolean;
  body: Writer | null;
}

/** Stop reading from a client whose answers pile up unread (slow consumer). */
const MAX_UNSENT_BYTES = 64 * 1024 * 1024;
const MAX_IN_FLIGHT = 1024;

/**
 * One client connection: splits the byte stream into size-prefixed frames, dispatches each
 * request, and writes answers strictly in request order (clients match them by correlation id
 * but expect order). Anything it cannot parse closes this connection only.
 */
export class Connection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private readonly queue: Slot[] = [];
  private closed = false;
  private paused = false;
  private readonly closeHooks = new Set<() => void>();
  readonly remote: string;

  constructor(
    private readonly socket: Socket,
    private readonly core: BrokerCore,
    private readonly handlers: ReadonlyMap<number, ApiHandler>,
    private readonly onGone: (c: Connection) => void,
  ) {
    this.remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    socket.setNoDelay(true);
    if (core.options.connectionsMaxIdleMs > 0) {
      socket.setTimeout(core.options.connectionsMaxIdleMs, () => this.close('idle'));
    }
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('drain', () => this.maybeResume());
    socket.on('error', (err) => core.logger.debug({ remote: this.remote, err: err.message }, 'socket error'));
    socket.on('close', () => this.onClosed());
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    try {
      while (this.buffered >= 4 && !this.closed) {
        const size = this.peekInt32();
        if (size < 8 || size > this.core.options.maxFrameBytes) {
          this.core.logger.warn({ remote: this.remote, size }, 'frame size out of bounds: closing connection');
          this.close('bad frame size');
          return;
        }
        if (this.buffered < 4 + size) break;
        const frame = this.take(4 + size).subarray(4);
        this.handleFrame(frame);
      }
    } catch (err) {
      this.core.logger.warn({ remote: this.remote, err: String(err) }, 'cannot process request: closing connection');
      this.close('bad request');
    }
    this.maybePause();
  }

  private peekInt32(): number {
    const first = this.chunks[0];
    if (first.length >= 4) return first.readInt32BE(0);
    return Buffer.concat(this.chunks, 4).readInt32BE(0);
  }

  private take(n: number): Buffer {
    const first = this.chunks[0];
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let got = 0;
      while (got < n) {
        const c = this.chunks[0];
        const need = n - got;
        if (c.length <= need) {
          c.copy(out, got);
          got += c.length;
          this.chunks.shift();
        } else {
          c.copy(out, got, 0, need);
          this.chunks[0] = c.subarray(need);
          got += need;
        }
      }
    }
    this.buffered -= n;
    return out;
  }

  private handleFrame(frame: Buffer): void {
    const r = new Reader(frame);
    const apiKey = r.int16();
    const apiVersion = r.int16();
    const correlationId = r.int32();
    const clientId = r.nullableString();
    const handler = this.handlers.get(apiKey);
    if (!handler) {
      this.core.logger.warn({ remote: this.remote, apiKey, apiVersion, clientId }, 'unknown API key: closing connection');
      this.close('unknown api key');
      return;
    }
    const slot: Slot = { correlationId, done: false, body: null };
    this.queue.push(slot);
    if (apiVersion < handler.minVersion || apiVersion > handler.maxVersion) {
      this.core.logger.debug({ remote: this.remote, api: handler.name, apiVersion }, 'unsupported version');
      this.complete(slot, unsupportedVersion(handler, this.core));
      return;
    }
    const ctx: RequestContext = {
      core: this.core,
      apiKey,
      apiVersion,
      correlationId,
      clientId,
      clientHost: this.socket.remoteAddress ? `/${this.socket.remoteAddress}` : '',
      onClose: (fn) => {
        this.closeHooks.add(fn);
        return () => this.closeHooks.delete(fn);
      },
    };
    // A decoding error (ProtocolError) thrown synchronously propagates to onData and closes us.
    const result = handler.handle(r, ctx);
    if (result instanceof Promise) {
      result.then(
        (body) => this.complete(slot, body),
        (err: unknown) => {
          this.core.logger.error({ remote: this.remote, api: handler.name, err: String(err) }, 'request failed: closing connection');
          this.close('handler error');
        },
      );
    } else {
      this.complete(slot, result);
    }
  }

  private complete(slot: Slot, body: Writer | null): void {
    slot.done = true;
    slot.body = body;
    if (this.closed) return;
    let corked = false;
    while (this.queue.length > 0 && this.queue[0].done) {
      const s = this.queue.shift() as Slot;
      if (s.body === null) continue; // acks=0: no answer
      if (!corked) {
        this.socket.cork();
        corked = true;
      }
      const parts = s.body.toBuffers();
      let size = 4;
      for (const p of parts) size += p.length;
      const head = Buffer.allocUnsafe(8);
      head.writeInt32BE(size, 0);
      head.writeInt32BE(s.correlationId, 4);
      this.socket.write(head);
      for (const p of parts) this.socket.write(p);
    }
    if (corked) this.socket.uncork();
    this.maybeResume();
  }

  private maybePause(): void {
    if (this.closed || this.paused) return;
    if (this.socket.writableLength > MAX_UNSENT_BYTES || this.queue.length > MAX_IN_FLIGHT) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private maybeResume(): void {
    if (!this.paused || this.closed) return;
    if (this.socket.writableLength <= MAX_UNSENT_BYTES && this.queue.length <= MAX_IN_FLIGHT) {
      this.paused = false;
      this.socket.resume();
    }
  }

  close(reason: string): void {
    if (this.closed) return;
    this.core.logger.debug({ remote: this.remote, reason }, 'closing connection');
    this.socket.destroy();
    this.onClosed();
  }

  private onClosed(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.chunks = [];
    this.buffered = 0;
    for (const fn of [...this.closeHooks]) fn();
    this.closeHooks.clear();
    this.onGone(this);
  }
}

/**
 * Answer for a version outside what we support. ApiVersions gets Kafka's v0-shaped answer with
 * the version list (so the client can pick); others get an answer whose first field is error 35
 * (UNSUPPORTED_VERSION), which is what kafkajs's decoders check first.
 */
function unsupportedVersion(handler: ApiHandler, core: BrokerCore): Writer {
  if (handler.key === ApiKey.ApiVersions) {
    return encodeApiVersions(new Writer(), ErrorCode.UNSUPPORTED_VERSION, core.handlers(), 0);
  }
  return new Writer().int16(ErrorCode.UNSUPPORTED_VERSION);
}

export { ProtocolError };
