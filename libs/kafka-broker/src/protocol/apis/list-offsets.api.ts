import { ApiHandler } from '../api';
import { ApiKey } from '../api-keys';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

const LATEST = -1;
const EARLIEST = -2;

export const listOffsetsApi: ApiHandler = {
  key: ApiKey.ListOffsets,
  name: 'ListOffsets',
  minVersion: 0,
  maxVersion: 3,
  handle(r, ctx) {
    const v = ctx.apiVersion;
    r.int32(); // replica id
    if (v >= 2) r.int8(); // isolation level
    const topics = r.array((x) => ({
      name: x.string(),
      partitions: x.array((y) => {
        const partition = y.int32();
        const timestamp = y.int64();
        if (v === 0) y.int32(); // max_num_offsets
        return { partition, timestamp };
      }),
    }));
    const w = new Writer();
    if (v >= 2) w.int32(0);
    w.array(topics, (x, t) => {
      x.string(t.name);
      x.array(t.partitions, (y, p) => {
        const log = ctx.core.logs.partition(t.name, p.partition);
        let errorCode: number = ErrorCode.NONE;
        let offset = -1;
        if (!log) errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        else if (p.timestamp === LATEST) offset = log.highWatermark;
        else if (p.timestamp === EARLIEST) offset = log.logStartOffset;
        else if (p.timestamp < 0) errorCode = ErrorCode.INVALID_REQUEST;
        else offset = log.offsetForTimestamp(p.timestamp);
        y.int32(p.partition).int16(errorCode);
        if (v === 0) {
          y.array(offset >= 0 ? [offset] : [], (z, o) => z.int64(o));
        } else {
          y.int64(-1).int64(offset);
        }
      });
    });
    return w;
  },
};
