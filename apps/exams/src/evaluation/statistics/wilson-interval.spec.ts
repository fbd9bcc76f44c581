import { Z_95 } from './distributions';
import { EvaluationInputError } from './statistics.errors';
import { summariseGroup, wilsonInterval } from './wilson-interval';

describe('wilsonInterval', () => {
  it('uses z = 1.959964 (the 97.5% normal quantile)', () => {
    expect(Z_95).toBeCloseTo(1.959963984540054, 14);
  });

  it('is exactly 0 at the lower end when nobody passed, and z^2/(n + z^2) above', () => {
    const result = wilsonInterval({ n: 20, passed: 0 });
    expect(result).toMatchObject({ estimable: true, estimate: 0 });
    if (!result.estimable) return;
    expect(result.ci95[0]).toBe(0);
    expect(result.ci95[1]).toBeCloseTo((Z_95 * Z_95) / (20 + Z_95 * Z_95), 14);
  });

  it('is exactly 1 at the upper end when everybody passed', () => {
    const result = wilsonInterval({ n: 20, passed: 20 });
    expect(result.estimable && result.ci95[1]).toBe(1);
  });

  it('is not estimable without results', () => {
    expect(wilsonInterval({ n: 0, passed: 0 })).toEqual({
      estimable: false,
      reason: 'a pass rate needs at least one result in the group',
    });
  });

  it('summarises a group with its failures', () => {
    expect(summariseGroup({ n: 10, passed: 7 })).toMatchObject({ n: 10, passed: 7, failed: 3 });
  });

  it.each([
    [{ n: -1, passed: 0 }, 'group.n must be a non-negative integer'],
    [{ n: 3, passed: 1.5 }, 'group.passed must be a non-negative integer'],
    [{ n: 3, passed: 4 }, 'group.passed must not exceed group.n (4 passed of 3)'],
    [{ n: Number.NaN, passed: 0 }, 'group.n must be a non-negative integer'],
    [{ n: Infinity, passed: 0 }, 'group.n must be a non-negative integer'],
    [{ n: '3', passed: 0 }, 'group.n must be a non-negative integer'],
  ])('refuses %o with a typed error', (counts, message) => {
    let thrown: unknown;
    try {
      wilsonInterval(counts as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EvaluationInputError);
    expect(thrown).toMatchObject({ code: 'EVALUATION.INVALID_COUNTS', message });
    expect((thrown as EvaluationInputError).fields).toEqual([
      { field: message.split(' ')[0], problem: message.slice(message.indexOf(' ') + 1) },
    ]);
  });
});
