import { AppError } from '@scholarpay/platform';
import { BatchAction, batchTransitions, BatchStates, canTransition, nextBatchState } from './payout-batch.state-machine';

describe('payout batch state machine', () => {
  it.each([
    ['DRAFT', 'submit', 'PENDING_APPROVAL'],
    ['PENDING_APPROVAL', 'approve', 'APPROVED'],
    ['PENDING_APPROVAL', 'reject', 'REJECTED'],
    ['REJECTED', 'reopen', 'DRAFT'],
    ['REJECTED', 'close', 'CLOSED'],
    ['DRAFT', 'cancel', 'CANCELLED'],
    ['PENDING_APPROVAL', 'cancel', 'CANCELLED'],
    ['APPROVED', 'startDisbursement', 'DISBURSING'],
    ['DISBURSING', 'complete', 'COMPLETED'],
  ] as const)('%s --%s--> %s', (from, action, to) => {
    expect(nextBatchState(from, action)).toBe(to);
  });

  it('allows nothing else: every other (state, action) pair is a 409 with a stable code', () => {
    const allowed = new Set(Object.entries(batchTransitions).flatMap(([action, t]) => t.from.map((state) => `${state}:${action}`)));
    let refused = 0;
    for (const state of BatchStates) {
      for (const action of Object.keys(batchTransitions) as BatchAction[]) {
        if (allowed.has(`${state}:${action}`)) continue;
        expect(canTransition(state, action)).toBe(false);
        try {
          nextBatchState(state, action);
          throw new Error('expected a refusal');
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          expect((error as AppError).kind).toBe('conflict');
          expect((error as AppError).code).toBe('PAYOUT_BATCH.ILLEGAL_TRANSITION');
          expect((error as AppError).details).toMatchObject({ state, action });
        }
        refused += 1;
      }
    }
    expect(refused).toBe(BatchStates.length * Object.keys(batchTransitions).length - allowed.size);
  });

  it('has no way out of COMPLETED, CLOSED or CANCELLED, and no way back to DRAFT from an approval', () => {
    for (const state of ['COMPLETED', 'CLOSED', 'CANCELLED', 'APPROVED', 'DISBURSING'] as const) {
      expect(canTransition(state, 'reopen')).toBe(false);
      expect(canTransition(state, 'cancel')).toBe(false);
    }
    expect(() => nextBatchState('APPROVED', 'approve')).toThrow('a batch in state APPROVED cannot be approved');
  });
});
