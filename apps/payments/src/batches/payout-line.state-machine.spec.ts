import { assertLineTransition, canMoveLine, isFinalLineStatus, LineStatuses, predecessorsOf } from './payout-line.state-machine';

describe('payout line state machine', () => {
  it('moves a line forward from PENDING through SUBMITTED or UNKNOWN to PAID or FAILED', () => {
    expect(canMoveLine('PENDING', 'SUBMITTED')).toBe(true);
    expect(canMoveLine('PENDING', 'UNKNOWN')).toBe(true);
    expect(canMoveLine('SUBMITTED', 'PAID')).toBe(true);
    expect(canMoveLine('SUBMITTED', 'FAILED')).toBe(true);
    expect(canMoveLine('UNKNOWN', 'SUBMITTED')).toBe(true);
    expect(canMoveLine('UNKNOWN', 'PAID')).toBe(true);
    expect(canMoveLine('UNKNOWN', 'FAILED')).toBe(true);
    expect(canMoveLine('PENDING', 'RELEASED')).toBe(true);
  });

  it('never moves a final line, and never releases a line that may have been sent', () => {
    for (const final of ['PAID', 'FAILED', 'RELEASED'] as const) {
      expect(isFinalLineStatus(final)).toBe(true);
      for (const to of LineStatuses) expect(canMoveLine(final, to)).toBe(false);
    }
    expect(canMoveLine('SUBMITTED', 'RELEASED')).toBe(false);
    expect(canMoveLine('UNKNOWN', 'RELEASED')).toBe(false);
    expect(canMoveLine('SUBMITTED', 'PENDING')).toBe(false);
    expect(canMoveLine('UNKNOWN', 'PENDING')).toBe(false);
    expect(() => assertLineTransition('PAID', 'FAILED')).toThrow('a payout line cannot move from PAID to FAILED');
  });

  it('lets an open line stay where it is (a re-check still pending, a re-send of an UNKNOWN line)', () => {
    expect(canMoveLine('SUBMITTED', 'SUBMITTED')).toBe(true);
    expect(canMoveLine('UNKNOWN', 'UNKNOWN')).toBe(true);
    expect(predecessorsOf('PAID').sort()).toEqual(['PENDING', 'SUBMITTED', 'UNKNOWN']);
  });
});
