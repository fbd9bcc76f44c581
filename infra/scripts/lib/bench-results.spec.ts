import { formatFigure, parseBenchResult, summariseRuns } from './bench-results';

describe('parseBenchResult', () => {
  it('takes the last BENCH_RESULT line of the output', () => {
    const output = [
      'warming up',
      'BENCH_RESULT {"section":"import","figures":{"seconds":50}}',
      'second pass',
      'BENCH_RESULT {"section":"import","figures":{"seconds":42.5,"rowsPerSecond":2353},"units":{"seconds":"s"}}',
      '',
    ].join('\n');
    expect(parseBenchResult(output)).toEqual({
      section: 'import',
      figures: { seconds: 42.5, rowsPerSecond: 2353 },
      units: { seconds: 's' },
    });
  });

  it('returns null when the bench printed no result line', () => {
    expect(parseBenchResult('just some output\nmedian 12 ms\n')).toBeNull();
  });

  it('names the problem when the line breaks the contract', () => {
    expect(() => parseBenchResult('BENCH_RESULT {not json}')).toThrow(/not JSON/);
    expect(() => parseBenchResult('BENCH_RESULT {"section":"x","figures":{"ms":"fast"}}')).toThrow(
      /figures\.ms: .*number/,
    );
    expect(() => parseBenchResult('BENCH_RESULT {"figures":{"ms":1}}')).toThrow(/section/);
    expect(() => parseBenchResult('BENCH_RESULT {"section":"x","figures":{"ms":null}}')).toThrow(
      /figures\.ms/,
    );
  });
});

describe('summariseRuns', () => {
  it('gives the median, min and max of each figure over the runs, keeping first-seen order and units', () => {
    const summary = summariseRuns([
      { section: 's', figures: { p50: 12, throughput: 900 }, units: { p50: 'ms' } },
      { section: 's', figures: { p50: 10, throughput: 1100 }, units: { throughput: 'rows/s' } },
      { section: 's', figures: { p50: 30, throughput: 1000 } },
    ]);
    expect(summary).toEqual([
      { name: 'p50', unit: 'ms', median: 12, min: 10, max: 30, values: [12, 10, 30] },
      { name: 'throughput', unit: 'rows/s', median: 1000, min: 900, max: 1100, values: [900, 1100, 1000] },
    ]);
  });

  it('averages the two middle values for an even number of runs, and skips runs without the figure', () => {
    const summary = summariseRuns([
      { section: 's', figures: { a: 1, b: 7 } },
      { section: 's', figures: { a: 4 } },
      { section: 's', figures: { a: 2 } },
      { section: 's', figures: { a: 3, b: 9 } },
    ]);
    expect(summary.find((figure) => figure.name === 'a')?.median).toBe(2.5);
    expect(summary.find((figure) => figure.name === 'b')).toMatchObject({ median: 8, values: [7, 9] });
  });
});

describe('formatFigure', () => {
  it.each([
    [1234567, '1,234,567'],
    [1234.56, '1,235'],
    [12.3456, '12.3'],
    [0.012345, '0.0123'],
  ])('%p → %s', (value, expected) => {
    expect(formatFigure(value)).toBe(expected);
  });
});
