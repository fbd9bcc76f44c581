import { ApiHandler } from '../api';
import { ApiKey } from '../api-keys';
import { ErrorCode } from '../error-codes';
import { InvalidBatchError, parseBatches } from '../record-batch';
import { Writer } from '../writer';

interface PartitionAnswer {
  index: number;
  errorCode: number;
  baseOffset: number;
  logStartOffset: number;
}

/**
 * Produce v3-7 (record batch v2). Batches are stored as they came, offsets assigned by rewriting
 * baseOffset. acks=-1 is answered once the data is fsync'd (with a data directory); acks=0 gets
 * no answer at all.
 */
export const produceApi: ApiHandler = {
  key: ApiKey.Produce,
  name: 'Produce',
  minVersion: 3,
  maxVersion: 7,
  handle(r, ctx) {
    const v = ctx.apiVersion;
    const { core } = ctx;
    const transactionalId = r.nullableString();
    const acks = r.int16();
    r.int32(); // timeout: there are no replicas to wait for
    const topics = r.array((x) => ({
      name: x.string(),
      partitions: x.array((y) => ({ index: y.int32(), records: y.nullableBytes() })),
    }));

    const syncs: Array<Promise<void>> = [];
    const answers = topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p): PartitionAnswer => {
        const fail = (errorCode: number): PartitionAnswer => ({ index: p.index, errorCode, baseOffset: -1, logStartOffset: -1 });
        if (acks !== 0 && acks !== 1 && acks !== -1) return fail(ErrorCode.INVALID_REQUIRED_ACKS);
        if (transactionalId !== null) return fail(ErrorCode.INVALID_REQUEST); // transactions are not supported
        const log = core.logs.partition(t.name, p.index);
        if (!log) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        if (!p.records || p.records.length === 0) return fail(ErrorCode.CORRUPT_MESSAGE);
        let headers;
        try {
          headers = parseBatches(p.records);
        } catch (err) {
          if (err instanceof InvalidBatchError) {
            core.logger.warn({ topic: t.name, partition: p.index, problem: err.problem, clientId: ctx.clientId }, 'rejected invalid record batch');
            return fail(err.problem === 'magic' ? ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT : ErrorCode.CORRUPT_MESSAGE);
          }
          throw err;
        }
        let res;
        try {
          res = log.append(p.records, headers);
        } catch (err) {
          core.logger.error({ topic: t.name, partition: p.index, err: String(err) }, 'append failed');
          return fail(ErrorCode.KAFKA_STORAGE_ERROR);
        }
        if (res.errorCode !== ErrorCode.NONE) return fail(res.errorCode);
        if (acks === -1) syncs.push(log.sync());
        return { index: p.index, errorCode: ErrorCode.NONE, baseOffset: res.baseOffset, logStartOffset: log.logStartOffset };
      }),
    }));

    const encode = (failed: boolean): Writer => {
      const w = new Writer();
      w.array(answers, (x, t) => {
        x.string(t.name);
        x.array(t.partitions, (y, p) => {
          const errorCode = failed && p.errorCode === ErrorCode.NONE ? ErrorCode.UNKNOWN_SERVER_ERROR : p.errorCode;
          y.int32(p.index).int16(errorCode).int64(p.baseOffset);
          if (v >= 2) y.int64(-1); // log_append_time: CreateTime topics
          if (v >= 5) y.int64(p.logStartOffset);
        });
      });
      w.int32(0);
      return w;
    };

    if (acks === 0) return null;
    if (syncs.length === 0) return encode(false);
    return Promise.all(syncs).then(
      () => encode(false),
      (err: unknown) => {
        core.logger.error({ err: String(err) }, 'fsync failed: produce not acknowledged');
        return encode(true);
      },
    );
  },
};
