import { AppError } from '@scholarpay/platform';

export const BatchStates = [
  'DRAFT',
  'PENDING_APPROVAL',
  'APPROVED',
  'DISBURSING',
  'COMPLETED',
  'REJECTED',
  'CLOSED',
  'CANCELLED',
] as const;
export type BatchState = (typeof BatchStates)[number];

export type BatchAction = 'submit' | 'approve' | 'reject' | 'reopen' | 'close' | 'cancel' | 'startDisbursement' | 'complete';

/**
 * The one table of allowed batch transitions: for each action, the states it may start from and
 * the state it leads to. Nothing else in the service decides whether a batch may move.
 */
export const batchTransitions: Readonly<Record<BatchAction, { from: readonly BatchState[]; to: BatchState }>> = {
  submit: { from: ['DRAFT'], to: 'PENDING_APPROVAL' },
  approve: { from: ['PENDING_APPROVAL'], to: 'APPROVED' },
  reject: { from: ['PENDING_APPROVAL'], to: 'REJECTED' },
  reopen: { from: ['REJECTED'], to: 'DRAFT' },
  close: { from: ['REJECTED'], to: 'CLOSED' },
  cancel: { from: ['DRAFT', 'PENDING_APPROVAL'], to: 'CANCELLED' },
  startDisbursement: { from: ['APPROVED'], to: 'DISBURSING' },
  complete: { from: ['DISBURSING'], to: 'COMPLETED' },
};

export function canTransition(state: BatchState, action: BatchAction): boolean {
  return batchTransitions[action].from.includes(state);
}

/** The state `action` leads to from `state`, or a 409 with a stable code naming both. */
export function nextBatchState(state: BatchState, action: BatchAction): BatchState {
  const transition = batchTransitions[action];
  if (!transition.from.includes(state)) {
    throw AppError.conflict(
      'PAYOUT_BATCH.ILLEGAL_TRANSITION',
      `a batch in state ${state} cannot be ${pastTense[action]} (allowed from: ${transition.from.join(', ')})`,
      { state, action, allowedFrom: [...transition.from] },
    );
  }
  return transition.to;
}

const pastTense: Record<BatchAction, string> = {
  submit: 'submitted',
  approve: 'approved',
  reject: 'rejected',
  reopen: 'reopened',
  close: 'closed',
  cancel: 'cancelled',
  startDisbursement: 'disbursed',
  complete: 'completed',
};
