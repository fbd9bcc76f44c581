import { decodeCursor, encodeCursor } from './statement-cursor';

describe('statement cursor', () => {
  it('round-trips a position', () => {
    const position = { createdAtMicros: '1767225600123456', id: '42' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('refuses anything it did not make', () => {
    expect(decodeCursor('')).toBeNull();
    expect(decodeCursor('not base64!')).toBeNull();
    expect(decodeCursor(Buffer.from('12:abc').toString('base64url'))).toBeNull();
    expect(decodeCursor(Buffer.from('1; DROP TABLE cashins').toString('base64url'))).toBeNull();
  });

  it('refuses positions out of range, which Postgres would fail on rather than answer', () => {
    const cursor = (text: string) => Buffer.from(text).toString('base64url');
    expect(decodeCursor(cursor('9999999999999999999:1'))).toBeNull();
    expect(decodeCursor(cursor('1767225600123456:9223372036854775808'))).toBeNull();
    expect(decodeCursor(cursor('253402300800000000:1'))).toBeNull();
    expect(decodeCursor(cursor('253402300799999999:9223372036854775807'))).toEqual({
      createdAtMicros: '253402300799999999',
      id: '9223372036854775807',
    });
  });
});
