import { ApiHandler } from '../api';
import { ApiKey } from '../api-keys';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

/** Every requested partition is answered: -1 with no error when nothing is committed. */
export const offsetFetchApi: ApiHandler = {
  key: ApiKey.OffsetFetch,
  name: 'OffsetFetch',
  minVersion: 0,
  maxVersion: 4,
  handle(r, ctx) {
    const v = ctx.apiVersion;
    const groupId = r.string();
    const requested =
      v >= 2
        ? r.nullableArray((x) => ({ name: x.string(), partitions: x.array((y) => y.int32()) }))
        : r.array((x) => ({ name: x.string(), partitions: x.array((y) => y.int32()) }));
    const store = ctx.core.groups.offsets;
    let topics: Array<{ name: string; partitions: number[] }>;
    if (requested === null) {
      topics = [...store.all(groupId)].map(([name, parts]) => ({ name, partitions: [...parts.keys()].sort((a, b) => a - b) }));
    } else {
      topics = requested;
    }
    const w = new Writer();
    if (v >= 3) w.int32(0);
    w.array(topics, (x, t) => {
      x.string(t.name);
      x.array(t.partitions, (y, p) => {
        const c = store.get(groupId, t.name, p);
        y.int32(p).int64(c ? c.offset : -1).nullableString(c ? (c.metadata ?? '') : '').int16(ErrorCode.NONE);
      });
    });
    if (v >= 2) w.int16(ErrorCode.NONE);
    return w;
  },
};
