import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PayoutBatch, PayoutBatchRepository } from './payout-batch.repository';
import type { BatchState } from './payout-batch.state-machine';

/** Recent batches, newest first, optionally of one programme, month or state. */
@Injectable()
export class ListPayoutBatchesUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly batches: PayoutBatchRepository,
  ) {}

  async execute(query: { programmeId?: string; month?: string; state?: BatchState; limit?: number }): Promise<{ items: PayoutBatch[] }> {
    return { items: await this.batches.list(this.dataSource.manager, { ...query, limit: query.limit ?? 50 }) };
  }
}
