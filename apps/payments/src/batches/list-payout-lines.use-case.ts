import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PayoutBatchErrors } from './payout-batch.errors';
import { LineListItem, PayoutBatchRepository } from './payout-batch.repository';
import type { LineStatus } from './payout-line.state-machine';

/** One page of a batch's lines, optionally of one status, in a stable order. */
@Injectable()
export class ListPayoutLinesUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly batches: PayoutBatchRepository,
  ) {}

  async execute(query: { batchId: string; status?: LineStatus; cursor?: string; limit?: number }): Promise<{ items: LineListItem[]; nextCursor: string | null }> {
    const db = this.dataSource.manager;
    const batch = await this.batches.findById(db, query.batchId);
    if (!batch) throw PayoutBatchErrors.notFound(query.batchId);
    const limit = query.limit ?? 100;
    const items = await this.batches.listLines(db, query.batchId, { status: query.status, after: query.cursor, limit });
    return { items, nextCursor: items.length === limit ? items[items.length - 1].id : null };
  }
}
