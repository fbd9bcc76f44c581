import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUniqueViolation } from '../shared/sql';
import { BatchLinesComposer } from './batch-lines.composer';
import { PayoutBatchErrors } from './payout-batch.errors';
import { PayoutBatchRepository } from './payout-batch.repository';
import { nextBatchState } from './payout-batch.state-machine';

/**
 * A rejected batch goes back to DRAFT, rebuilt from the awards and payees as they are now (the
 * usual reason for a rejection is data that has since been corrected, such as a phone number).
 * Its old lines were never sent, so they are released and replaced.
 */
@Injectable()
export class ReopenPayoutBatchUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly batches: PayoutBatchRepository,
    private readonly composer: BatchLinesComposer,
  ) {}

  async execute(command: { batchId: string; actor: string; reason?: string }): Promise<void> {
    try {
      await this.dataSource.transaction(async (manager) => {
        const batch = await this.batches.findById(manager, command.batchId, { lock: true });
        if (!batch) throw PayoutBatchErrors.notFound(command.batchId);
        const to = nextBatchState(batch.state, 'reopen');
        await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`payout-batch:${batch.programmeId}:${batch.month}`]);
        const released = await this.batches.releasePendingLines(manager, batch.id);
        const composed = await this.composer.compose(manager, batch.id, batch.programmeId, batch.month);
        // Nothing left to pay (everyone paid elsewhere, suspended or without a phone): the batch
        // stays REJECTED, as creating one would be refused, rather than becoming an empty DRAFT.
        if (composed.lines.length === 0) throw PayoutBatchErrors.nothingToPay(batch.month, composed.excludedByReason);
        await this.batches.insertLines(manager, batch, composed.lines);
        await this.batches.replaceExclusions(manager, batch.id, composed.exclusions);
        await this.batches.updateTotals(manager, batch.id, {
          lineCount: composed.lines.length,
          totalAmount: composed.totalAmount,
          excludedCount: composed.exclusions.length,
        });
        const moved = await this.batches.transition(manager, batch.id, batch.state, to, {
          submitted_by: null,
          submitted_at: null,
          rejected_by: null,
          rejected_at: null,
          rejection_reason: null,
        });
        if (!moved) throw PayoutBatchErrors.concurrentChange(batch.id);
        await this.batches.appendAudit(manager, batch.id, {
          action: 'reopened',
          fromState: batch.state,
          toState: to,
          actor: command.actor,
          reason: command.reason ?? null,
          details: {
            releasedLines: released,
            lineCount: composed.lines.length,
            totalAmount: composed.totalAmount,
            excludedByReason: composed.excludedByReason,
            previousRejection: { by: batch.rejectedBy, reason: batch.rejectionReason },
          },
        });
      });
    } catch (error) {
      if (isUniqueViolation(error, 'payout_lines_one_live_per_student_month')) throw PayoutBatchErrors.lineSlotTaken();
      throw error;
    }
  }
}
