import { ApiHandler } from '../api';
import { ApiKey } from '../api-keys';
import { Writer } from '../writer';

export const offsetCommitApi: ApiHandler = {
  key: ApiKey.OffsetCommit,
  name: 'OffsetCommit',
  minVersion: 0,
  maxVersion: 5,
  async handle(r, ctx) {
    const v = ctx.apiVersion;
    const groupId = r.string();
    const generationId = v >= 1 ? r.int32() : -1;
    const memberId = v >= 1 ? r.string() : '';
    if (v >= 2 && v <= 4) r.int64(); // retention time: the broker's offsets retention applies
    const topics = r.array((x) => ({
      name: x.string(),
      partitions: x.array((y) => {
        const partition = y.int32();
        const offset = y.int64();
        if (v === 1) y.int64(); // commit timestamp
        return { partition, offset, metadata: y.nullableString() };
      }),
    }));
    const entries = topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, ...p })));
    const codes = await ctx.core.groups.commitOffsets(groupId, generationId, memberId, entries);
    const w = new Writer();
    if (v >= 3) w.int32(0);
    let i = 0;
    w.array(topics, (x, t) => {
      x.string(t.name);
      x.array(t.partitions, (y, p) => {
        y.int32(p.partition).int16(codes[i++]);
      });
    });
    return w;
  },
};
