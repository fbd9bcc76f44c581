import { assertCashinTransition, IllegalCashinTransitionError } from './cashin.state-machine';

describe('cash-in state machine', () => {
  it('lets a pending cash-in succeed or fail', () => {
    expect(() => assertCashinTransition('PENDING', 'SUCCESS')).not.toThrow();
    expect(() => assertCashinTransition('PENDING', 'FAILED')).not.toThrow();
  });

  it.each([
    ['SUCCESS', 'FAILED'],
    ['FAILED', 'SUCCESS'],
    ['SUCCESS', 'PENDING'],
    ['FAILED', 'PENDING'],
    ['PENDING', 'PENDING'],
  ] as const)('refuses %s → %s', (from, to) => {
    expect(() => assertCashinTransition(from, to)).toThrow(IllegalCashinTransitionError);
  });
});
