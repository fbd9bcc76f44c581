export type CashinStatus = 'PENDING' | 'SUCCESS' | 'FAILED';

/** The one table of allowed cash-in transitions: PENDING ends in SUCCESS or FAILED, and final is final. */
export const cashinTransitions: Readonly<Record<CashinStatus, readonly CashinStatus[]>> = {
  PENDING: ['SUCCESS', 'FAILED'],
  SUCCESS: [],
  FAILED: [],
};

export class IllegalCashinTransitionError extends Error {
  constructor(
    readonly from: CashinStatus,
    readonly to: CashinStatus,
  ) {
    super(`a cash-in cannot go from ${from} to ${to}`);
    this.name = 'IllegalCashinTransitionError';
  }
}

export function assertCashinTransition(from: CashinStatus, to: CashinStatus): void {
  if (!cashinTransitions[from].includes(to)) throw new IllegalCashinTransitionError(from, to);
}
