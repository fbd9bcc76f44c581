import { passRateByMonths, passRateByMonthsFromCounts } from './pass-rate-by-months';
import { wilsonInterval } from './wilson-interval';

describe('passRateByMonths', () => {
  it('groups results by months received, ascending, with Wilson intervals', () => {
    const results = [
      { months: 2, passed: true },
      { months: 0, passed: false },
      { months: 2, passed: false },
      { months: 0, passed: true },
      { months: 0, passed: false },
      { months: 5, passed: true },
    ];
    const byMonths = passRateByMonths(results);
    expect(byMonths.map(({ months, n, passed, failed }) => ({ months, n, passed, failed }))).toEqual([
      { months: 0, n: 3, passed: 1, failed: 2 },
      { months: 2, n: 2, passed: 1, failed: 1 },
      { months: 5, n: 1, passed: 1, failed: 0 },
    ]);
    expect(byMonths[0].passRate).toEqual(wilsonInterval({ n: 3, passed: 1 }));
    expect(byMonths[2].passRate).toMatchObject({ estimable: true, estimate: 1 });
  });

  it('leaves out months nobody had, from counts too', () => {
    expect(
      passRateByMonthsFromCounts([
        { months: 3, n: 10, passed: 6 },
        { months: 1, n: 0, passed: 0 },
        { months: 0, n: 4, passed: 1 },
      ]).map((entry) => entry.months),
    ).toEqual([0, 3]);
    expect(passRateByMonths([])).toEqual([]);
  });

  it('refuses months that are not whole, non-negative and plausible, naming the result', () => {
    expect(() =>
      passRateByMonths([
        { months: 1, passed: true },
        { months: -1, passed: true },
      ]),
    ).toThrow('results[1].months must be an integer from 0 to 1200');
    expect(() => passRateByMonths([{ months: 1.5, passed: true }])).toThrow('results[0].months');
    expect(() => passRateByMonths([{ months: 1e9, passed: true }])).toThrow('results[0].months');
    expect(() => passRateByMonthsFromCounts([{ months: 1, n: 2, passed: 3 }])).toThrow(
      'months[0].passed must not exceed months[0].n',
    );
    expect(() =>
      passRateByMonthsFromCounts([
        { months: 1, n: 2, passed: 1 },
        { months: 1, n: 2, passed: 1 },
      ]),
    ).toThrow('months[1].months repeats 1');
  });
});
