import { ApiHandler } from '../api';
import { ApiKey } from '../api-keys';
import { Writer } from '../writer';

export const deleteGroupsApi: ApiHandler = {
  key: ApiKey.DeleteGroups,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 1,
  async handle(r, ctx) {
    const ids = r.array((x) => x.string());
    const results: Array<{ id: string; errorCode: number }> = [];
    for (const id of ids) results.push({ id, errorCode: await ctx.core.groups.deleteGroup(id) });
    const w = new Writer().int32(0);
    w.array(results, (x, res) => x.string(res.id).int16(res.errorCode));
    return w;
  },
};
