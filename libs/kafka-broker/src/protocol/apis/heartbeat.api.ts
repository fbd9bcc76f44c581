import { ApiHandler } from '../api';
import { ApiKey } from '../api-keys';
import { Writer } from '../writer';

export const heartbeatApi: ApiHandler = {
  key: ApiKey.Heartbeat,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 3,
  handle(r, ctx) {
    const v = ctx.apiVersion;
    const groupId = r.string();
    const generationId = r.int32();
    const memberId = r.string();
    if (v >= 3) r.nullableString();
    const errorCode = ctx.core.groups.heartbeat(groupId, generationId, memberId);
    const w = new Writer();
    if (v >= 1) w.int32(0);
    return w.int16(errorCode);
  },
};
