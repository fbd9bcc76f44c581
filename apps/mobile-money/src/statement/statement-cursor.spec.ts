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
});
