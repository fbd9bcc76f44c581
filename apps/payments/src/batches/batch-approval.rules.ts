import { formatXof } from '@scholarpay/money';
import { AppError } from '@scholarpay/platform';

/** Someone who prepared a batch: created it, rebuilt it on reopening, or submitted it. */
export interface PreparerAction {
  actor: string;
  action: 'created' | 'reopened' | 'submitted';
}

/**
 * Maker-checker: whoever prepared a batch (created, reopened or submitted it, per its audit
 * trail) may not approve or reject it. The role (finance_approver) is checked by the route; this
 * is the second-person rule.
 */
export function assertSecondPerson(actor: string, preparers: readonly PreparerAction[], action: 'approve' | 'reject'): void {
  const own = [...new Set(preparers.filter((entry) => entry.actor === actor).map((entry) => entry.action))];
  if (own.length > 0) {
    throw AppError.forbidden(
      'PAYOUT_BATCH.SAME_PERSON',
      `you ${own.join(' and ')} this batch, so you cannot ${action} it: a second finance approver must do it`,
      { actor, preparedAs: own },
    );
  }
}

export interface FundsPosition {
  batchTotal: number;
  /** The programme's budget not yet committed, per the ledger. */
  remainingBudget: number;
  /** The provider's available float (`GET /account/balance`). */
  providerAvailable: number;
  /** Approved money not yet sent to the provider by other batches: the float must cover it too. */
  otherUnsentCommitments: number;
}

/** Approval needs the remaining budget and the provider's float to cover the batch; 422 says by how much they fall short. */
export function assertFundsCover(position: FundsPosition): void {
  const { batchTotal, remainingBudget, providerAvailable, otherUnsentCommitments } = position;
  if (batchTotal > remainingBudget) {
    throw AppError.unprocessable(
      'PAYOUT_BATCH.BUDGET_EXCEEDED',
      `the programme's remaining budget (${formatXof(remainingBudget)}) does not cover this batch (${formatXof(batchTotal)}): short by ${formatXof(batchTotal - remainingBudget)}`,
      { batchTotal, remainingBudget, shortBy: batchTotal - remainingBudget },
    );
  }
  const needed = batchTotal + otherUnsentCommitments;
  if (needed > providerAvailable) {
    throw AppError.unprocessable(
      'PAYOUT_BATCH.INSUFFICIENT_FLOAT',
      `the provider's available float (${formatXof(providerAvailable)}) does not cover this batch (${formatXof(batchTotal)})` +
        (otherUnsentCommitments > 0 ? ` plus ${formatXof(otherUnsentCommitments)} approved in other batches and not yet sent` : '') +
        `: short by ${formatXof(needed - providerAvailable)}; top up the float first`,
      { batchTotal, otherUnsentCommitments, providerAvailable, shortBy: needed - providerAvailable },
    );
  }
}
