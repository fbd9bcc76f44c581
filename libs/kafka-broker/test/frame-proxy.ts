import * as net from 'node:net';

export interface ProxyRule {
  /** Called for each client request; return 'drop-response' to cut the connection when its answer comes back. */
  onRequest(apiKey: number, apiVersion: number, correlationId: number): 'forward' | 'drop-response';
}

/** Splits a byte stream into Kafka frames (int32 size prefix). */
class FrameSplitter {
  private buf = Buffer.alloc(0);
  push(chunk: Buffer, each: (frame: Buffer) => void): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    while (this.buf.length >= 4) {
      const size = this.buf.readInt32BE(0);
      if (this.buf.length < 4 + size) return;
      each(this.buf.subarray(0, 4 + size));
      this.buf = this.buf.subarray(4 + size);
    }
  }
}

/**
 * A TCP proxy in front of the broker that understands Kafka framing, so a test can lose the
 * answer to one request (the broker did the work, the client never hears back) and watch the
 * client retry. Metadata answers are rewritten to point at the proxy.
 */
export class FrameProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(
    private readonly target: { host: string; port: number },
    private readonly rule: ProxyRule,
  ) {}

  async start(): Promise<string> {
    this.server = net.createServer((client) => this.accept(client));
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as net.AddressInfo).port;
    return `127.0.0.1:${this.port}`;
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const dropOn = new Set<number>();
    const apiOf = new Map<number, number>();
    const cut = (): void => {
      client.destroy();
      upstream.destroy();
    };
    const fromClient = new FrameSplitter();
    client.on('data', (chunk: Buffer) =>
      fromClient.push(chunk, (frame) => {
        const apiKey = frame.readInt16BE(4);
        const apiVersion = frame.readInt16BE(6);
        const correlationId = frame.readInt32BE(8);
        apiOf.set(correlationId, apiKey);
        if (this.rule.onRequest(apiKey, apiVersion, correlationId) === 'drop-response') dropOn.add(correlationId);
        upstream.write(frame);
      }),
    );
    const fromBroker = new FrameSplitter();
    upstream.on('data', (chunk: Buffer) =>
      fromBroker.push(chunk, (frame) => {
        const correlationId = frame.readInt32BE(4);
        if (dropOn.has(correlationId)) {
          cut();
          return;
        }
        client.write(apiOf.get(correlationId) === 3 ? this.rewriteMetadataPort(frame) : frame);
      }),
    );
    const close = (): void => {
      this.sockets.delete(client);
      this.sockets.delete(upstream);
      cut();
    };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  }

  /** Replace the broker's port with ours in every int32 that follows the broker host string. */
  private rewriteMetadataPort(frame: Buffer): Buffer {
    const out = Buffer.from(frame);
    const needle = Buffer.alloc(4);
    needle.writeInt32BE(this.target.port);
    const host = Buffer.from(this.target.host);
    for (let i = 0; i + host.length + 4 <= out.length; i++) {
      if (out.subarray(i, i + host.length).equals(host) && out.subarray(i + host.length, i + host.length + 4).equals(needle)) {
        out.writeInt32BE(this.port, i + host.length);
      }
    }
    return out;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
