import { ApiHandler } from '../api';
import { ApiKey } from '../api-keys';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

export const listGroupsApi: ApiHandler = {
  key: ApiKey.ListGroups,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 2,
  handle(_r, ctx) {
    const w = new Writer();
    if (ctx.apiVersion >= 1) w.int32(0);
    w.int16(ErrorCode.NONE);
    w.array(ctx.core.groups.list(), (x, g) => x.string(g.groupId).string(g.protocolType));
    return w;
  },
};
