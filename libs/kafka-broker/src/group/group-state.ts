/** Kafka's consumer group states, with the strings DescribeGroups reports. */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

/**
 * The allowed transitions, as data (Kafka's GroupMetadata.validPreviousStates read the other way).
 * Every state change goes through `assertTransition`.
 */
export const GROUP_TRANSITIONS: Readonly<Record<GroupState, readonly GroupState[]>> = {
  Empty: ['PreparingRebalance', 'Dead'],
  PreparingRebalance: ['CompletingRebalance', 'Empty', 'Dead'],
  CompletingRebalance: ['PreparingRebalance', 'Stable', 'Dead'],
  Stable: ['PreparingRebalance', 'Dead'],
  Dead: ['Dead'],
};

export class IllegalGroupTransitionError extends Error {
  constructor(
    readonly groupId: string,
    readonly from: GroupState,
    readonly to: GroupState,
  ) {
    super(`GROUP.ILLEGAL_TRANSITION: group ${groupId} cannot go from ${from} to ${to}`);
    this.name = 'IllegalGroupTransitionError';
  }
}

export function canTransition(from: GroupState, to: GroupState): boolean {
  return GROUP_TRANSITIONS[from].includes(to);
}

export function assertTransition(groupId: string, from: GroupState, to: GroupState): void {
  if (!canTransition(from, to)) throw new IllegalGroupTransitionError(groupId, from, to);
}
