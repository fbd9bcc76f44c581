import { Injectable } from '@nestjs/common';
import { EventTypes } from '@scholarpay/contracts';
import { OutboxPublisher } from '@scholarpay/messaging';
import { DataSource } from 'typeorm';
import { assertSecondPerson } from './batch-approval.rules';
import { batchEventData } from './batch-events';
import { PayoutBatchErrors } from './payout-batch.errors';
import { PayoutBatchRepository } from './payout-batch.repository';
import { nextBatchState } from './payout-batch.state-machine';

/** A finance approver other than the preparers sends a batch back, saying why. */
@Injectable()
export class RejectPayoutBatchUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly batches: PayoutBatchRepository,
    private readonly outbox: OutboxPublisher,
  ) {}

  async execute(command: { batchId: string; actor: string; reason: string }): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const batch = await this.batches.findById(manager, command.batchId, { lock: true });
      if (!batch) throw PayoutBatchErrors.notFound(command.batchId);
      const to = nextBatchState(batch.state, 'reject');
      assertSecondPerson(command.actor, await this.batches.preparers(manager, batch.id), 'reject');
      const now = new Date();
      const moved = await this.batches.transition(manager, batch.id, batch.state, to, {
        rejected_by: command.actor,
        rejected_at: now,
        rejection_reason: command.reason,
      });
      if (!moved) throw PayoutBatchErrors.concurrentChange(batch.id);
      await this.batches.appendAudit(manager, batch.id, {
        action: 'rejected',
        fromState: batch.state,
        toState: to,
        actor: command.actor,
        reason: command.reason,
        details: null,
      });
      await this.outbox.publish(manager, {
        type: EventTypes.batchRejected,
        subject: batch.id,
        data: batchEventData(batch, command.actor, { reason: command.reason }),
      });
    });
  }
}
