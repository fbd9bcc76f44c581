import { decodeAwardCursor, encodeAwardCursor } from './award-cursor';

const awardId = '7d3f1a52-8a43-4f4e-9d0b-3c6f0b7c2a11';
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('award cursor', () => {
  it('reads back what it wrote', () => {
    const at = new Date('2014-09-15T10:00:00.123Z');
    expect(decodeAwardCursor(encodeAwardCursor(at, awardId))).toEqual({
      awardedAt: '2014-09-15T10:00:00.123Z',
      awardId,
    });
  });

  it('refuses anything Postgres could not read as a timestamptz and a uuid', () => {
    for (const cursor of [
      'not-a-cursor',
      '',
      cursorOf(['1', awardId]),
      cursorOf(['Mon Sep 15 2014', awardId]),
      cursorOf(['+275760-09-13T00:00:00.000Z', awardId]),
      cursorOf(['2014-02-30T10:00:00.000Z', awardId]),
      cursorOf(['2014-09-15T10:00:00.000Z', '------------------------------------']),
      cursorOf(['2014-09-15T10:00:00.000Z', awardId, 'extra']),
      cursorOf({ awardedAt: '2014-09-15T10:00:00.000Z', awardId }),
      cursorOf([1410775200000, awardId]),
    ]) {
      expect({ cursor, decoded: decodeAwardCursor(cursor) }).toEqual({ cursor, decoded: null });
    }
  });
});
