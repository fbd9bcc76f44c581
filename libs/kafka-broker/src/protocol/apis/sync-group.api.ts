import { ApiHandler } from '../api';
import { ApiKey } from '../api-keys';
import { Writer } from '../writer';

export const syncGroupApi: ApiHandler = {
  key: ApiKey.SyncGroup,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 3,
  async handle(r, ctx) {
    const v = ctx.apiVersion;
    const groupId = r.string();
    const generationId = r.int32();
    const memberId = r.string();
    if (v >= 3) r.nullableString(); // group instance id
    const assignments = new Map<string, Buffer>();
    r.array((x) => assignments.set(x.string(), Buffer.from(x.bytes())));
    const res = await ctx.core.groups.sync(groupId, generationId, memberId, assignments);
    const w = new Writer();
    if (v >= 1) w.int32(0);
    // A member with nothing assigned gets zero-length bytes, never null.
    return w.int16(res.errorCode).bytes(res.assignment);
  },
};
