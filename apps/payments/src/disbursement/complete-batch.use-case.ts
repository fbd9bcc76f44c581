import { Injectable, Logger } from '@nestjs/common';
import { EventTypes } from '@scholarpay/contracts';
import { OutboxPublisher } from '@scholarpay/messaging';
import type { EntityManager } from 'typeorm';
import { batchEventData, SYSTEM_ACTOR } from '../batches/batch-events';
import type { BatchSummary } from '../batches/payout-batch.entities';
import { PayoutBatchRepository } from '../batches/payout-batch.repository';
import { nextBatchState } from '../batches/payout-batch.state-machine';
import { queryOne } from '../shared/sql';

/** A disbursing batch whose lines are all PAID or FAILED becomes COMPLETED, with its summary, and says so. */
@Injectable()
export class CompleteBatchUseCase {
  private readonly logger = new Logger(CompleteBatchUseCase.name);

  constructor(
    private readonly batches: PayoutBatchRepository,
    private readonly outbox: OutboxPublisher,
  ) {}

  /** Runs inside the caller's transaction; returns the ids of the batches it completed. */
  async completeIfDone(manager: EntityManager, batchIds: readonly string[]): Promise<string[]> {
    const completed: string[] = [];
    for (const batchId of [...batchIds].sort()) {
      const batch = await this.batches.findById(manager, batchId, { lock: true });
      if (!batch || batch.state !== 'DISBURSING') continue;
      const open = await queryOne<{ open: boolean }>(
        manager,
        `SELECT EXISTS (SELECT 1 FROM payout_lines WHERE batch_id = $1 AND status IN ('PENDING', 'SUBMITTED', 'UNKNOWN')) AS open`,
        [batchId],
      );
      if (open?.open) continue;
      const totals = await this.batches.lineTotalsByStatus(manager, batchId);
      const summary: BatchSummary = {
        paidCount: totals.PAID?.count ?? 0,
        failedCount: totals.FAILED?.count ?? 0,
        paidAmount: totals.PAID?.amount ?? 0,
        failedAmount: totals.FAILED?.amount ?? 0,
      };
      const to = nextBatchState(batch.state, 'complete');
      if (!(await this.batches.transition(manager, batchId, batch.state, to, { completed_at: new Date(), summary: JSON.stringify(summary) }))) continue;
      await this.batches.appendAudit(manager, batchId, {
        action: 'completed',
        fromState: batch.state,
        toState: to,
        actor: SYSTEM_ACTOR,
        reason: null,
        details: { ...summary },
      });
      await this.outbox.publish(manager, {
        type: EventTypes.batchCompleted,
        subject: batchId,
        data: batchEventData(batch, SYSTEM_ACTOR, { summary }),
      });
      this.logger.log({ batchId, ...summary }, 'payout batch completed');
      completed.push(batchId);
    }
    return completed;
  }
}
