import { Injectable } from '@nestjs/common';
import { EventTypes } from '@scholarpay/contracts';
import { OutboxPublisher } from '@scholarpay/messaging';
import { DataSource } from 'typeorm';
import { batchEventData } from './batch-events';
import { PayoutBatchErrors } from './payout-batch.errors';
import { PayoutBatchRepository } from './payout-batch.repository';
import { nextBatchState } from './payout-batch.state-machine';

/** A finance preparer sends a DRAFT batch for approval. */
@Injectable()
export class SubmitPayoutBatchUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly batches: PayoutBatchRepository,
    private readonly outbox: OutboxPublisher,
  ) {}

  async execute(command: { batchId: string; actor: string; comment?: string }): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const batch = await this.batches.findById(manager, command.batchId, { lock: true });
      if (!batch) throw PayoutBatchErrors.notFound(command.batchId);
      const to = nextBatchState(batch.state, 'submit');
      const now = new Date();
      if (!(await this.batches.transition(manager, batch.id, batch.state, to, { submitted_by: command.actor, submitted_at: now }))) {
        throw PayoutBatchErrors.concurrentChange(batch.id);
      }
      await this.batches.appendAudit(manager, batch.id, {
        action: 'submitted',
        fromState: batch.state,
        toState: to,
        actor: command.actor,
        reason: command.comment ?? null,
        details: { lineCount: batch.lineCount, totalAmount: batch.totalAmount },
      });
      await this.outbox.publish(manager, {
        type: EventTypes.batchSubmitted,
        subject: batch.id,
        data: batchEventData(batch, command.actor, { reason: command.comment }),
      });
    });
  }
}
