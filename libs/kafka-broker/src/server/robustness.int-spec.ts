import { KafkaBroker } from '@scholarpay/kafka-broker';
import { Kafka } from 'kafkajs';
import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import { BatchLayout, buildBatch, checkBatchAt } from '../protocol/record-batch';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { raw, RawClient } from '../../test/raw-client';
import { kafkaFor, startTestBroker, uniqueName, waitFor } from '../../test/helpers';

jest.setTimeout(60000);

function metadataV1(topics: string[] | null): Buffer {
  return new Writer().nullableArray(topics, (w, t) => w.string(t)).toBuffer();
}

/**
 * Bad input never takes the broker down: each offending connection gets an error answer or is
 * closed, and a kafkajs producer and consumer carry on throughout.
 */
describe('broker robustness against bad clients', () => {
  let broker: KafkaBroker;
  let kafka: Kafka;
  const topic = uniqueName('robust');
  const consumed: string[] = [];
  let stopConsumer: () => Promise<void>;

  beforeAll(async () => {
    broker = await startTestBroker({ maxFrameBytes: 1024 * 1024 });
    kafka = kafkaFor(broker);
    const consumer = kafka.consumer({ groupId: uniqueName('robust-g'), maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void consumed.push(String(message.value)) });
    stopConsumer = () => consumer.disconnect();
  });

  afterAll(async () => {
    await stopConsumer();
    await broker.stop();
  });

  async function stillServes(tag: string): Promise<void> {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: tag }] });
    await producer.disconnect();
    await waitFor(() => consumed.includes(tag), 20000, `healthy client to receive ${tag}`);
  }

  it('closes a connection that sends garbage bytes (an HTTP request)', async () => {
    const c = await RawClient.connect(broker.port);
    c.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(await c.waitClosed()).toBe(true);
    await stillServes('after-garbage');
  });

  it('closes a connection whose frame is over the maximum size or negative', async () => {
    const big = await RawClient.connect(broker.port);
    big.write(new Writer().int32(2 * 1024 * 1024).int16(3).toBuffer());
    expect(await big.waitClosed()).toBe(true);
    const neg = await RawClient.connect(broker.port);
    neg.write(new Writer().int32(-5).toBuffer());
    expect(await neg.waitClosed()).toBe(true);
    await stillServes('after-oversize');
  });

  it('closes a connection with a malformed body (array length beyond the frame, truncated header)', async () => {
    const c = await RawClient.connect(broker.port);
    c.write(RawClient.frame(ApiKey.Metadata, 1, 1, new Writer().int32(1000000).toBuffer()));
    expect(await c.waitClosed()).toBe(true);
    const d = await RawClient.connect(broker.port);
    d.write(Buffer.from([0, 0, 0, 9, 0, 3, 0, 1, 0, 0, 0, 7, 0])); // client id length cut off
    expect(await d.waitClosed()).toBe(true);
    const e = await RawClient.connect(broker.port);
    e.write(Buffer.from([0, 0, 0, 3, 0, 3, 0])); // a frame too short to hold a header
    expect(await e.waitClosed()).toBe(true);
    await stillServes('after-malformed');
  });

  it('closes a connection that uses an unknown API key', async () => {
    const c = await RawClient.connect(broker.port);
    c.write(RawClient.frame(999, 0, 1));
    expect(await c.waitClosed()).toBe(true);
  });

  it('answers an unsupported version with error 35 and keeps the connection', async () => {
    const c = await RawClient.connect(broker.port);
    const av = await c.request(ApiKey.ApiVersions, 3, 11);
    expect(av.int16()).toBe(ErrorCode.UNSUPPORTED_VERSION);
    const apis = av.array((x) => ({ key: x.int16(), min: x.int16(), max: x.int16() }));
    expect(apis.find((a) => a.key === ApiKey.ApiVersions)).toEqual({ key: 18, min: 0, max: 2 });
    const meta = await c.request(ApiKey.Metadata, 42, 12);
    expect(meta.int16()).toBe(ErrorCode.UNSUPPORTED_VERSION);
    const produceV0 = await c.request(ApiKey.Produce, 0, 13);
    expect(produceV0.int16()).toBe(ErrorCode.UNSUPPORTED_VERSION);
    const ok = await c.request(ApiKey.ApiVersions, 0, 14);
    expect(ok.int16()).toBe(ErrorCode.NONE);
    expect(c.closed).toBe(false);
    c.destroy();
  });

  it('answers pipelined requests in order on one connection', async () => {
    const c = await RawClient.connect(broker.port);
    // A long poll first, then quick requests: their answers must wait behind it.
    const empty = uniqueName('empty');
    await c.request(ApiKey.Metadata, 1, 20, metadataV1([empty]));
    c.write(RawClient.frame(ApiKey.Fetch, 4, 21, raw.fetchV4(empty, 0, 0, { maxWaitMs: 300 })));
    c.write(RawClient.frame(ApiKey.ApiVersions, 0, 22));
    c.write(RawClient.frame(ApiKey.Metadata, 1, 23, metadataV1([])));
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push(new Reader(await c.next()).int32());
    expect(ids).toEqual([21, 22, 23]);
    c.destroy();
  });

  it('refuses corrupt record batches with an error and keeps the connection', async () => {
    const c = await RawClient.connect(broker.port);
    await c.request(ApiKey.Metadata, 1, 30, metadataV1([topic]));
    const bad = buildBatch({ records: [{ key: null, value: Buffer.from('corrupt') }] });
    bad[bad.length - 1] ^= 0xff;
    expect(raw.readProduceV3(await c.request(ApiKey.Produce, 3, 31, raw.produceV3(topic, 0, bad))).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    const truncated = buildBatch({ records: [{ key: null, value: Buffer.from('short') }] }).subarray(0, 40);
    expect(raw.readProduceV3(await c.request(ApiKey.Produce, 3, 32, raw.produceV3(topic, 0, truncated))).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    const unknown = buildBatch({ records: [{ key: null, value: Buffer.from('x') }] });
    expect(raw.readProduceV3(await c.request(ApiKey.Produce, 3, 33, raw.produceV3('no-such-topic-here', 0, unknown))).errorCode).toBe(
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
    expect(c.closed).toBe(false);
    c.destroy();
    expect(consumed).not.toContain('corrupt');
  });

  it('stores a gzip batch byte for byte and serves it back unchanged', async () => {
    const c = await RawClient.connect(broker.port);
    const t = uniqueName('gzip-raw');
    await c.request(ApiKey.Metadata, 4, 40, new Writer().array([t], (w, x) => w.string(x)).bool(true).toBuffer());
    // Attributes codec 1 (gzip); the broker must not look inside, only check the CRC.
    const sent = buildBatch({ records: [{ key: null, value: Buffer.from('pretend-compressed') }], attributes: 1 });
    const res = raw.readProduceV3(await c.request(ApiKey.Produce, 3, 41, raw.produceV3(t, 0, Buffer.from(sent))));
    expect(res).toEqual({ errorCode: 0, baseOffset: 0 });
    const f = await c.request(ApiKey.Fetch, 4, 42, raw.fetchV4(t, 0, 0));
    f.int32(); // throttle
    f.int32();
    f.string();
    f.int32();
    f.int32(); // partition
    expect(f.int16()).toBe(0);
    f.int64();
    f.int64();
    f.int32(); // aborted transactions
    const records = f.bytes();
    expect(records.equals(sent)).toBe(true);
    expect(typeof checkBatchAt(records, 0)).toBe('object');
    expect(records.readInt16BE(BatchLayout.ATTRIBUTES) & 7).toBe(1);
    c.destroy();
  });

  it('carries on when clients vanish mid-frame, mid-long-poll and mid-join', async () => {
    const half = await RawClient.connect(broker.port);
    const frame = RawClient.frame(ApiKey.Metadata, 1, 50, metadataV1([topic]));
    half.write(frame.subarray(0, frame.length - 3));
    half.destroy();

    const poller = await RawClient.connect(broker.port);
    const empty = uniqueName('empty');
    await poller.request(ApiKey.Metadata, 1, 51, metadataV1([empty]));
    poller.write(RawClient.frame(ApiKey.Fetch, 4, 52, raw.fetchV4(empty, 0, 0, { maxWaitMs: 5000 })));
    await new Promise((r) => setTimeout(r, 50));
    poller.destroy();

    const joiner = await RawClient.connect(broker.port);
    const join = new Writer()
      .string(uniqueName('vanish'))
      .int32(6000)
      .int32(6000)
      .string('')
      .string('consumer')
      .array([0], (w) => w.string('RoundRobinAssigner').bytes(Buffer.alloc(0)))
      .toBuffer();
    joiner.write(RawClient.frame(ApiKey.JoinGroup, 1, 53, join));
    joiner.destroy();

    await stillServes('after-vanishing-clients');
  });

  it('survives fuzzed request bodies for every API and version', async () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const apis = broker.handlers();
    let answered = 0;
    let closed = 0;
    for (let round = 0; round < 150; round++) {
      const api = apis[rand(apis.length)];
      const version = api.minVersion + rand(api.maxVersion - api.minVersion + 1);
      const body = Buffer.alloc(rand(64));
      for (let i = 0; i < body.length; i++) body[i] = rand(256);
      // Half the time keep plausible small counts up front so decoding gets further in.
      if (rand(2) === 0 && body.length >= 4) body.writeInt32BE(rand(3), 0);
      const c = await RawClient.connect(broker.port);
      c.write(RawClient.frame(api.key, version, 7, body));
      const outcome = await Promise.race([c.next(2000).then(() => 'answer' as const), c.waitClosed(2000).then((x) => (x ? ('closed' as const) : ('none' as const)))]).catch(
        () => 'none' as const,
      );
      if (outcome === 'answer') answered++;
      else if (outcome === 'closed') closed++;
      c.destroy();
    }
    expect(answered + closed).toBeGreaterThan(100);
    await stillServes('after-fuzz');
  });
});
