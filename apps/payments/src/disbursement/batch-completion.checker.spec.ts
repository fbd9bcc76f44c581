import { ThrottledBatchCheck } from './batch-completion.checker';

describe('ThrottledBatchCheck', () => {
  let calls: string[][];
  let release: (() => void)[];

  function throttle(intervalMs = 200): ThrottledBatchCheck {
    return new ThrottledBatchCheck(
      (batchIds) => {
        calls.push([...batchIds].sort());
        return new Promise<void>((resolve) => release.push(resolve));
      },
      intervalMs,
    );
  }

  // Fake timers move Date.now too, which is the throttle's clock.
  const advance = (ms: number) => jest.advanceTimersByTimeAsync(ms);

  beforeEach(() => {
    jest.useFakeTimers();
    calls = [];
    release = [];
  });

  afterEach(() => jest.useRealTimers());

  it('checks the first note after a quiet spell at once', async () => {
    throttle().note(['b1']);
    await advance(0);
    expect(calls).toEqual([['b1']]);
  });

  it('gathers notes made while a check runs and within the interval into one later check', async () => {
    const check = throttle(200);
    check.note(['b1']);
    await advance(0);
    check.note(['b2']);
    check.note(['b1', 'b3']);
    await advance(50);
    release.shift()!();
    await advance(100);
    expect(calls).toEqual([['b1']]);
    await advance(50);
    expect(calls).toEqual([['b1'], ['b1', 'b2', 'b3']]);
  });

  it('runs nothing when nothing was noted', async () => {
    throttle().note([]);
    await advance(1000);
    expect(calls).toEqual([]);
  });

  it('flush checks what is pending without waiting for the interval', async () => {
    const check = throttle(10_000);
    check.note(['b1']);
    await advance(0);
    release.shift()!();
    await advance(0);
    check.note(['b2']);
    const flushed = check.flush();
    await advance(0);
    expect(calls).toEqual([['b1'], ['b2']]);
    release.shift()!();
    await flushed;
    await advance(20_000);
    expect(calls).toHaveLength(2);
  });
});
