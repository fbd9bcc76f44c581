import { ApiHandler } from '../api';
import { ApiKey } from '../api-keys';
import { Writer } from '../writer';

export const leaveGroupApi: ApiHandler = {
  key: ApiKey.LeaveGroup,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 3,
  handle(r, ctx) {
    const v = ctx.apiVersion;
    const groupId = r.string();
    const members =
      v >= 3
        ? r.array((x) => ({ memberId: x.string(), groupInstanceId: x.nullableString() }))
        : [{ memberId: r.string(), groupInstanceId: null }];
    const res = ctx.core.groups.leave(
      groupId,
      members.map((m) => m.memberId),
    );
    const w = new Writer();
    if (v >= 1) w.int32(0);
    if (v < 3) return w.int16(res.errorCode !== 0 ? res.errorCode : (res.members[0]?.errorCode ?? 0));
    w.int16(res.errorCode);
    w.array(res.errorCode !== 0 ? [] : members, (x, m) => {
      const e = res.members.find((y) => y.memberId === m.memberId);
      x.string(m.memberId).nullableString(m.groupInstanceId).int16(e ? e.errorCode : 0);
    });
    return w;
  },
};
