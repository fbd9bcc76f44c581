import { ApiHandler } from '../api';
import { ApiKey } from '../api-keys';
import { Writer } from '../writer';

export const joinGroupApi: ApiHandler = {
  key: ApiKey.JoinGroup,
  name: 'JoinGroup',
  minVersion: 0,
  maxVersion: 5,
  async handle(r, ctx) {
    const v = ctx.apiVersion;
    const groupId = r.string();
    const sessionTimeoutMs = r.int32();
    const rebalanceTimeoutMs = v >= 1 ? r.int32() : sessionTimeoutMs;
    const memberId = r.string();
    const groupInstanceId = v >= 5 ? r.nullableString() : null;
    const protocolType = r.string();
    const protocols = r.array((x) => ({ name: x.string(), metadata: Buffer.from(x.bytes()) }));
    const res = await ctx.core.groups.join({
      groupId,
      memberId,
      groupInstanceId,
      clientId: ctx.clientId ?? '',
      clientHost: ctx.clientHost,
      sessionTimeoutMs,
      rebalanceTimeoutMs,
      protocolType,
      protocols,
    });
    const w = new Writer();
    if (v >= 2) w.int32(0);
    w.int16(res.errorCode).int32(res.generationId).string(res.protocolName).string(res.leaderId).string(res.memberId);
    w.array(res.members, (x, m) => {
      x.string(m.memberId);
      if (v >= 5) x.nullableString(m.groupInstanceId);
      x.bytes(m.metadata);
    });
    return w;
  },
};
