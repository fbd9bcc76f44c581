import { ApiHandler } from '../api';
import { ApiKey } from '../api-keys';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

/** Every group and transactional id is coordinated by this one broker. */
export const findCoordinatorApi: ApiHandler = {
  key: ApiKey.FindCoordinator,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 2,
  handle(r, ctx) {
    const v = ctx.apiVersion;
    const key = r.string();
    const keyType = v >= 1 ? r.int8() : 0;
    const w = new Writer();
    if (v >= 1) w.int32(0);
    const invalid = keyType === 0 && key.length === 0;
    const errorCode = invalid ? ErrorCode.INVALID_GROUP_ID : ErrorCode.NONE;
    w.int16(errorCode);
    if (v >= 1) w.nullableString(invalid ? 'The configured groupId is invalid' : null);
    w.int32(invalid ? -1 : ctx.core.options.nodeId)
      .string(invalid ? '' : ctx.core.advertisedHost)
      .int32(invalid ? -1 : ctx.core.port);
    return w;
  },
};
