import { Injectable } from '@nestjs/common';
import { AppError } from '@scholarpay/platform';
import { DataSource } from 'typeorm';
import { ReconciliationKind, ReconciliationItem } from './reconciliation.rules';
import { ReconciliationRepository, StoredReconciliation } from './reconciliation.repository';

const problemKinds: ReconciliationKind[] = ['MISSING_IN_PROVIDER', 'MISSING_IN_LEDGER', 'AMOUNT_MISMATCH', 'STATUS_MISMATCH', 'DUPLICATE_IN_PROVIDER'];

/** A stored reconciliation with its counts and mismatches. */
@Injectable()
export class GetReconciliationUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reconciliations: ReconciliationRepository,
  ) {}

  async execute(id: string): Promise<StoredReconciliation & { matched: number; mismatches: ReconciliationItem[]; mismatchesTruncated: boolean }> {
    const stored = await this.find(id);
    const mismatches = await this.reconciliations.items(this.dataSource.manager, id, { kinds: problemKinds, limit: 1001 });
    return { ...stored, matched: stored.counts.MATCHED ?? 0, mismatches: mismatches.slice(0, 1000), mismatchesTruncated: mismatches.length > 1000 };
  }

  private async find(id: string): Promise<StoredReconciliation> {
    const stored = await this.reconciliations.find(this.dataSource.manager, id);
    if (!stored) throw AppError.notFound('RECONCILIATION.NOT_FOUND', `no reconciliation ${id}`, { id });
    return stored;
  }
}
