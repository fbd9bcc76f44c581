import { addMonths, compareMonths, isYearMonth, laterMonth, monthOf, monthsInclusive } from './year-month';

describe('year-month', () => {
  it('recognises YYYY-MM only', () => {
    expect(isYearMonth('2014-10')).toBe(true);
    expect(isYearMonth('2014-13')).toBe(false);
    expect(isYearMonth('2014-1')).toBe(false);
    expect(isYearMonth(201410)).toBe(false);
  });

  it('counts months across years, both ends included', () => {
    expect(monthsInclusive('2014-10', '2015-06')).toBe(9);
    expect(monthsInclusive('2014-10', '2014-10')).toBe(1);
    expect(monthsInclusive('2015-01', '2014-12')).toBe(0);
  });

  it('compares, adds and reads months in UTC', () => {
    expect(compareMonths('2014-12', '2015-01')).toBeLessThan(0);
    expect(laterMonth('2014-12', '2015-01')).toBe('2015-01');
    expect(addMonths('2014-12', 1)).toBe('2015-01');
    expect(addMonths('2015-01', -1)).toBe('2014-12');
    expect(monthOf(new Date('2015-01-31T23:59:59Z'))).toBe('2015-01');
  });
});
