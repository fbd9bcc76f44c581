import { Injectable } from '@nestjs/common';
import { AccountTypeTotals, LedgerRepository, LineLedgerPosition } from './ledger.repository';
import { expectedLinePosition } from './ledger.rules';
import type { LineStatus } from '../batches/payout-line.state-machine';

export interface TrialBalanceView {
  currency: 'XOF';
  accountTypes: AccountTypeTotals[];
  totalDebits: number;
  totalCredits: number;
  /** Every entry summed: zero in a sound ledger. */
  total: number;
  postings: number;
  unbalancedPostings: { postingId: string; postingKey: string; sum: number; entries: number }[];
  /** Lines whose net ledger position disagrees with their status (should be none). */
  linesOutOfPosition: { count: number; sample: (LineLedgerPosition & { expected: ReturnType<typeof expectedLinePosition> })[] };
  balanced: boolean;
}

/** The trial balance: totals per account type, every posting balanced, every line where its status says its money is. */
@Injectable()
export class GetTrialBalanceUseCase {
  constructor(private readonly ledger: LedgerRepository) {}

  async execute(filter: { batchId?: string } = {}): Promise<TrialBalanceView> {
    const [accountTypes, unbalancedPostings, postings, positions] = await Promise.all([
      this.ledger.totalsByAccountType(),
      this.ledger.unbalancedPostings(),
      this.ledger.postingCount(),
      this.ledger.linePositions(filter),
    ]);
    const outOfPosition = positions
      .map((position) => ({ ...position, expected: expectedLinePosition(position.status as LineStatus, position.amount, position.committed) }))
      .filter(
        ({ expected, budget, payable, clearing, settled }) =>
          expected.budget !== budget || expected.payable !== payable || expected.clearing !== clearing || expected.settled !== settled,
      );
    const totalDebits = accountTypes.reduce((sum, entry) => sum + entry.debits, 0);
    const totalCredits = accountTypes.reduce((sum, entry) => sum + entry.credits, 0);
    const total = accountTypes.reduce((sum, entry) => sum + entry.balance, 0);
    return {
      currency: 'XOF',
      accountTypes,
      totalDebits,
      totalCredits,
      total,
      postings,
      unbalancedPostings,
      linesOutOfPosition: { count: outOfPosition.length, sample: outOfPosition.slice(0, 50) },
      balanced: total === 0 && totalDebits === totalCredits && unbalancedPostings.length === 0 && outOfPosition.length === 0,
    };
  }
}
