import { assertXof, formatXof, sumXof } from './xof';

describe('XOF amounts', () => {
  it('accepts whole francs only', () => {
    expect(assertXof(25000)).toBe(25000);
    expect(() => assertXof(25000.5)).toThrow('must be a whole number of francs');
    expect(() => assertXof(-1)).toThrow('must not be negative');
    expect(() => assertXof(0, { allowZero: false })).toThrow('must be positive');
    expect(() => assertXof('100')).toThrow();
  });

  it('sums without leaving the safe range', () => {
    expect(sumXof([1, 2, 3])).toBe(6);
    expect(() => sumXof([Number.MAX_SAFE_INTEGER, 1])).toThrow('safe integer');
  });

  it('formats as Malians write it', () => {
    expect(formatXof(25000)).toBe('25 000 FCFA');
  });
});
