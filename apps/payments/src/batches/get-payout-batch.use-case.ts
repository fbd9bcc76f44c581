import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LineStatuses } from './payout-line.state-machine';
import type { LineStatus } from './payout-line.state-machine';
import { PayoutBatchErrors } from './payout-batch.errors';
import { AuditEntry, NewExclusion, PayoutBatch, PayoutBatchRepository } from './payout-batch.repository';

const EXCLUSIONS_SHOWN = 1000;

export interface PayoutBatchView extends PayoutBatch {
  currency: 'XOF';
  lines: Record<LineStatus, { count: number; amount: number }>;
  smsSent: number;
  excluded: { total: number; byReason: Record<string, number>; items: NewExclusion[]; truncated: boolean };
  audit: AuditEntry[];
}

/** A batch with its state, totals, line counts by status, exclusions and audit trail. */
@Injectable()
export class GetPayoutBatchUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly batches: PayoutBatchRepository,
  ) {}

  async execute(batchId: string): Promise<PayoutBatchView> {
    const db = this.dataSource.manager;
    const batch = await this.batches.findById(db, batchId);
    if (!batch) throw PayoutBatchErrors.notFound(batchId);
    const [totals, excluded, audit, smsSent] = await Promise.all([
      this.batches.lineTotalsByStatus(db, batchId),
      this.batches.exclusions(db, batchId, EXCLUSIONS_SHOWN),
      this.batches.auditTrail(db, batchId),
      this.batches.smsSentCount(db, batchId),
    ]);
    const lines = Object.fromEntries(LineStatuses.map((status) => [status, totals[status] ?? { count: 0, amount: 0 }])) as PayoutBatchView['lines'];
    return {
      ...batch,
      currency: 'XOF',
      lines,
      smsSent,
      excluded: { ...excluded, truncated: excluded.total > excluded.items.length },
      audit,
    };
  }
}
