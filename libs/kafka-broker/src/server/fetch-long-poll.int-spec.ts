import { KafkaBroker } from '@scholarpay/kafka-broker';
import { ApiKey } from '../protocol/api-keys';
import { buildBatch, parseBatches } from '../protocol/record-batch';
import { Reader } from '../protocol/reader';
import { raw, RawClient } from '../../test/raw-client';
import { startTestBroker, uniqueName } from '../../test/helpers';

jest.setTimeout(30000);

function batchOf(value: string, size = 300): Buffer {
  return buildBatch({ records: [{ key: null, value: Buffer.from(value.padEnd(size, '.')) }] });
}

/** Fetch long polling at the protocol level: max wait, min bytes, max bytes. */
describe('fetch long poll', () => {
  let broker: KafkaBroker;
  let fetcher: RawClient;
  let producer: RawClient;
  let topic: string;
  let cid = 100;

  beforeAll(async () => {
    broker = await startTestBroker();
  });

  beforeEach(async () => {
    topic = uniqueName('poll');
    fetcher = await RawClient.connect(broker.port);
    producer = await RawClient.connect(broker.port);
    await producer.request(ApiKey.Metadata, 4, cid++, raw.metadataV4([topic]));
  });

  afterEach(() => {
    fetcher.destroy();
    producer.destroy();
  });

  afterAll(async () => {
    await broker.stop();
  });

  async function produce(value: string): Promise<number> {
    const res = raw.readProduceV3(await producer.request(ApiKey.Produce, 3, cid++, raw.produceV3(topic, 0, batchOf(value))));
    expect(res.errorCode).toBe(0);
    return res.baseOffset;
  }

  async function answer(): Promise<ReturnType<typeof raw.readFetchV4>> {
    const r = new Reader(await fetcher.next(25000));
    r.int32(); // correlation id
    return raw.readFetchV4(r);
  }

  it('wakes a waiting fetch as soon as a record is appended (max wait far away)', async () => {
    fetcher.write(RawClient.frame(ApiKey.Fetch, 4, cid++, raw.fetchV4(topic, 0, 0, { maxWaitMs: 60000, minBytes: 1 })));
    await produce('first');
    const a = await answer();
    expect(a.errorCode).toBe(0);
    expect(parseBatches(a.records)).toHaveLength(1);
    expect(a.highWatermark).toBe(1);
  });

  it('holds the answer until min bytes are there', async () => {
    const one = batchOf('x').length;
    fetcher.write(RawClient.frame(ApiKey.Fetch, 4, cid++, raw.fetchV4(topic, 0, 0, { maxWaitMs: 60000, minBytes: one + 1 })));
    await produce('a');
    await produce('b');
    const a = await answer();
    // Answered after the second batch, not the first: both are in it.
    expect(parseBatches(a.records)).toHaveLength(2);
  });

  it('answers with what there is when max wait passes before min bytes', async () => {
    await produce('only');
    fetcher.write(RawClient.frame(ApiKey.Fetch, 4, cid++, raw.fetchV4(topic, 0, 0, { maxWaitMs: 200, minBytes: 1 << 20 })));
    const a = await answer();
    expect(parseBatches(a.records)).toHaveLength(1);
  });

  it('answers an empty fetch after max wait', async () => {
    fetcher.write(RawClient.frame(ApiKey.Fetch, 4, cid++, raw.fetchV4(topic, 0, 0, { maxWaitMs: 100, minBytes: 1 })));
    const a = await answer();
    expect(a.errorCode).toBe(0);
    expect(a.records).toHaveLength(0);
  });

  it('honours max bytes but always returns at least one whole batch', async () => {
    for (const v of ['1', '2', '3']) await produce(v);
    const size = batchOf('1').length;
    fetcher.write(RawClient.frame(ApiKey.Fetch, 4, cid++, raw.fetchV4(topic, 0, 0, { maxBytes: 2 * size + 10 })));
    expect(parseBatches((await answer()).records)).toHaveLength(2);
    fetcher.write(RawClient.frame(ApiKey.Fetch, 4, cid++, raw.fetchV4(topic, 0, 0, { maxBytes: 10, partitionMaxBytes: 10 })));
    expect(parseBatches((await answer()).records)).toHaveLength(1);
    fetcher.write(RawClient.frame(ApiKey.Fetch, 4, cid++, raw.fetchV4(topic, 0, 1, { partitionMaxBytes: size + 1 })));
    const from1 = parseBatches((await answer()).records);
    expect(from1.map((b) => b.baseOffset)).toEqual([1]);
  });

  it('answers OFFSET_OUT_OF_RANGE past the end instead of waiting', async () => {
    await produce('z');
    fetcher.write(RawClient.frame(ApiKey.Fetch, 4, cid++, raw.fetchV4(topic, 0, 5, { maxWaitMs: 60000 })));
    expect((await answer()).errorCode).toBe(1);
  });
});
