import { ApiHandler } from '../api';
import { ApiKey } from '../api-keys';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

/** The version list, shared with the UNSUPPORTED_VERSION answer (which is always v0-shaped). */
export function encodeApiVersions(
  w: Writer,
  errorCode: number,
  handlers: ReadonlyArray<{ key: number; minVersion: number; maxVersion: number }>,
  version: number,
): Writer {
  w.int16(errorCode);
  w.array(handlers, (x, h) => x.int16(h.key).int16(h.minVersion).int16(h.maxVersion));
  if (version >= 1) w.int32(0);
  return w;
}

export const apiVersionsApi: ApiHandler = {
  key: ApiKey.ApiVersions,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 2,
  handle(_r, ctx) {
    return encodeApiVersions(new Writer(), ErrorCode.NONE, ctx.core.handlers(), ctx.apiVersion);
  },
};
