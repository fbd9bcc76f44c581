import { ApiHandler } from '../api';
import { ApiKey } from '../api-keys';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

export const deleteTopicsApi: ApiHandler = {
  key: ApiKey.DeleteTopics,
  name: 'DeleteTopics',
  minVersion: 0,
  maxVersion: 3,
  async handle(r, ctx) {
    const v = ctx.apiVersion;
    const names = r.array((x) => x.string());
    r.int32(); // timeout
    const results: Array<{ name: string; errorCode: number }> = [];
    for (const name of names) {
      const errorCode = ctx.core.logs.delete(name);
      if (errorCode === ErrorCode.NONE) await ctx.core.groups.onTopicDeleted(name);
      results.push({ name, errorCode });
    }
    const w = new Writer();
    if (v >= 1) w.int32(0);
    w.array(results, (x, res) => x.string(res.name).int16(res.errorCode));
    return w;
  },
};
