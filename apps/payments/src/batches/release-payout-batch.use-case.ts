import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PayoutBatchErrors } from './payout-batch.errors';
import { PayoutBatchRepository } from './payout-batch.repository';
import { nextBatchState } from './payout-batch.state-machine';

/**
 * Ends a batch that will never be paid: `close` a rejected one, `cancel` a draft or one awaiting
 * approval. Its lines were never sent, so they are released and the students can be put in
 * another batch for the month.
 */
@Injectable()
export class ReleasePayoutBatchUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly batches: PayoutBatchRepository,
  ) {}

  async execute(command: { batchId: string; actor: string; action: 'close' | 'cancel'; reason: string }): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const batch = await this.batches.findById(manager, command.batchId, { lock: true });
      if (!batch) throw PayoutBatchErrors.notFound(command.batchId);
      const to = nextBatchState(batch.state, command.action);
      const released = await this.batches.releasePendingLines(manager, batch.id);
      if (!(await this.batches.transition(manager, batch.id, batch.state, to))) throw PayoutBatchErrors.concurrentChange(batch.id);
      await this.batches.appendAudit(manager, batch.id, {
        action: command.action === 'close' ? 'closed' : 'cancelled',
        fromState: batch.state,
        toState: to,
        actor: command.actor,
        reason: command.reason,
        details: { releasedLines: released },
      });
    });
  }
}
