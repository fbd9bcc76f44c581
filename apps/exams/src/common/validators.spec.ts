import { isCalendarDate } from './validators';

describe('isCalendarDate', () => {
  it('accepts real days written YYYY-MM-DD', () => {
    expect(isCalendarDate('2015-06-15')).toBe(true);
    expect(isCalendarDate('2016-02-29')).toBe(true);
  });

  it('refuses impossible days and other formats', () => {
    for (const value of [
      '2015-02-29',
      '2015-02-30',
      '2015-13-01',
      '15-06-2015',
      '2015-6-15',
      '2015-06-15T00:00:00Z',
      20150615,
      null,
    ]) {
      expect(isCalendarDate(value)).toBe(false);
    }
  });
});
