import { ApiHandler } from '../api';
import { ApiKey } from '../api-keys';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

export const describeGroupsApi: ApiHandler = {
  key: ApiKey.DescribeGroups,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 2,
  handle(r, ctx) {
    const v = ctx.apiVersion;
    const ids = r.array((x) => x.string());
    const w = new Writer();
    if (v >= 1) w.int32(0);
    w.array(ids, (x, id) => {
      const g = ctx.core.groups.describe(id);
      if (!id) {
        x.int16(ErrorCode.INVALID_GROUP_ID).string(id).string('').string('').string('').int32(0);
        return;
      }
      if (!g) {
        // Kafka describes an unknown group as Dead, without an error.
        x.int16(ErrorCode.NONE).string(id).string('Dead').string('').string('').int32(0);
        return;
      }
      x.int16(ErrorCode.NONE).string(id).string(g.state).string(g.protocolType).string(g.protocolName);
      x.array(g.members, (y, m) => {
        y.string(m.memberId).string(m.clientId).string(m.clientHost).bytes(m.metadata).bytes(m.assignment);
      });
    });
    return w;
  },
};
