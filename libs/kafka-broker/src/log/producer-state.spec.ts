import { ErrorCode } from '../protocol/error-codes';
import { ProducerStateTable } from './producer-state';

describe('idempotent producer state', () => {
  it('appends in sequence, returns the original offset for a resend', () => {
    const t = new ProducerStateTable();
    expect(t.check(7, 0, 0, 4)).toEqual({ kind: 'append' });
    t.record(7, 0, { firstSeq: 0, lastSeq: 4, baseOffset: 100, lastOffset: 104 });
    expect(t.check(7, 0, 5, 9)).toEqual({ kind: 'append' });
    t.record(7, 0, { firstSeq: 5, lastSeq: 9, baseOffset: 110, lastOffset: 114 });
    expect(t.check(7, 0, 0, 4)).toEqual({ kind: 'duplicate', baseOffset: 100 });
    expect(t.check(7, 0, 5, 9)).toEqual({ kind: 'duplicate', baseOffset: 110 });
  });

  it('refuses gaps and stale epochs', () => {
    const t = new ProducerStateTable();
    t.record(1, 2, { firstSeq: 0, lastSeq: 0, baseOffset: 0, lastOffset: 0 });
    expect(t.check(1, 2, 5, 5)).toEqual({ kind: 'error', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    expect(t.check(1, 1, 1, 1)).toEqual({ kind: 'error', errorCode: ErrorCode.INVALID_PRODUCER_EPOCH });
    expect(t.check(1, 3, 0, 0)).toEqual({ kind: 'append' });
  });

  it('keeps only the last five batches', () => {
    const t = new ProducerStateTable();
    for (let i = 0; i < 7; i++) t.record(1, 0, { firstSeq: i, lastSeq: i, baseOffset: i, lastOffset: i });
    expect(t.check(1, 0, 0, 0)).toEqual({ kind: 'error', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    expect(t.check(1, 0, 3, 3)).toEqual({ kind: 'duplicate', baseOffset: 3 });
  });

  it('ignores non-idempotent batches', () => {
    const t = new ProducerStateTable();
    expect(t.check(-1, -1, -1, -1)).toEqual({ kind: 'append' });
  });
});
