import { ApiHandler } from '../api';
import { ApiKey } from '../api-keys';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

/** Idempotent producers get a fresh id (epoch 0). Transactions are not supported. */
export const initProducerIdApi: ApiHandler = {
  key: ApiKey.InitProducerId,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 1,
  handle(r, ctx) {
    const transactionalId = r.nullableString();
    r.int32(); // transaction timeout
    const w = new Writer().int32(0);
    if (transactionalId !== null) return w.int16(ErrorCode.INVALID_REQUEST).int64(-1).int16(-1);
    return w.int16(ErrorCode.NONE).int64(ctx.core.producerIds.next()).int16(0);
  },
};
