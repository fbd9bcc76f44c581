import { describeExit, restartDelayMs } from './managed-process';

describe('restartDelayMs', () => {
  it('doubles from one second and stops growing at thirty', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((attempt) => restartDelayMs(attempt))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });
});

describe('describeExit', () => {
  it('says whether the process exited or was killed', () => {
    expect(describeExit({ code: 1, signal: null })).toBe('exited with code 1');
    expect(describeExit({ code: null, signal: 'SIGKILL' })).toBe('was killed by SIGKILL');
  });
});
