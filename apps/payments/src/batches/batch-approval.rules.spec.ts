import { AppError } from '@scholarpay/platform';
import { assertFundsCover, assertSecondPerson } from './batch-approval.rules';

function caught(fn: () => void): AppError {
  try {
    fn();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected an error');
}

describe('maker-checker', () => {
  const preparers = [
    { actor: 'awa', action: 'created' as const },
    { actor: 'bakary', action: 'submitted' as const },
  ];

  it('refuses the creator and the submitter with 403 PAYOUT_BATCH.SAME_PERSON', () => {
    for (const actor of ['awa', 'bakary']) {
      const error = caught(() => assertSecondPerson(actor, preparers, 'approve'));
      expect(error.kind).toBe('forbidden');
      expect(error.code).toBe('PAYOUT_BATCH.SAME_PERSON');
    }
    expect(caught(() => assertSecondPerson('awa', preparers, 'reject')).message).toBe(
      'you created this batch, so you cannot reject it: a second finance approver must do it',
    );
  });

  it('refuses whoever rebuilt the batch on reopening it', () => {
    expect(caught(() => assertSecondPerson('chaka', [...preparers, { actor: 'chaka', action: 'reopened' }], 'approve')).code).toBe('PAYOUT_BATCH.SAME_PERSON');
  });

  it('lets a second person through', () => {
    expect(() => assertSecondPerson('djeneba', preparers, 'approve')).not.toThrow();
  });
});

describe('funds check on approval', () => {
  it('passes when the remaining budget and the float cover the batch exactly', () => {
    expect(() => assertFundsCover({ batchTotal: 100, remainingBudget: 100, providerAvailable: 100, otherUnsentCommitments: 0 })).not.toThrow();
  });

  it('422 BUDGET_EXCEEDED says by how much, in FCFA', () => {
    const error = caught(() => assertFundsCover({ batchTotal: 50000, remainingBudget: 25000, providerAvailable: 1e9, otherUnsentCommitments: 0 }));
    expect(error.kind).toBe('unprocessable');
    expect(error.code).toBe('PAYOUT_BATCH.BUDGET_EXCEEDED');
    expect(error.message).toContain('short by 25 000 FCFA');
    expect(error.details).toEqual({ batchTotal: 50000, remainingBudget: 25000, shortBy: 25000 });
  });

  it('422 INSUFFICIENT_FLOAT counts money approved in other batches and not sent yet', () => {
    const error = caught(() => assertFundsCover({ batchTotal: 50000, remainingBudget: 1e9, providerAvailable: 80000, otherUnsentCommitments: 40000 }));
    expect(error.code).toBe('PAYOUT_BATCH.INSUFFICIENT_FLOAT');
    expect(error.details).toMatchObject({ shortBy: 10000 });
    expect(error.message).toContain('plus 40 000 FCFA approved in other batches');
  });
});
