import { ApiHandler } from '../api';
import { ApiKey } from '../api-keys';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

export const deleteRecordsApi: ApiHandler = {
  key: ApiKey.DeleteRecords,
  name: 'DeleteRecords',
  minVersion: 0,
  maxVersion: 1,
  handle(r, ctx) {
    const topics = r.array((x) => ({
      name: x.string(),
      partitions: x.array((y) => ({ partition: y.int32(), offset: y.int64() })),
    }));
    r.int32();
    const w = new Writer().int32(0);
    w.array(topics, (x, t) => {
      x.string(t.name);
      x.array(t.partitions, (y, p) => {
        const log = ctx.core.logs.partition(t.name, p.partition);
        if (!log) {
          y.int32(p.partition).int64(-1).int16(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          return;
        }
        const errorCode = log.deleteRecordsBefore(p.offset);
        y.int32(p.partition).int64(errorCode === ErrorCode.NONE ? log.logStartOffset : -1).int16(errorCode);
      });
    });
    return w;
  },
};
