import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ReadModelRepository } from '../read-models/read-model.repository';
import { isUniqueViolation } from '../shared/sql';
import { BatchLinesComposer } from './batch-lines.composer';
import { PayoutBatchErrors } from './payout-batch.errors';
import { PayoutBatchRepository } from './payout-batch.repository';

export interface CreatePayoutBatchCommand {
  programmeId: string;
  month: string;
  actor: string;
}

/**
 * A DRAFT batch for a programme and month: one line per award active that month, with the amount
 * from the award and the phone number snapshotted; every other award covering the month is listed
 * as excluded with the reason. Creations for the same programme and month are serialised, and the
 * unique index on (student, month) makes a second live line for a student impossible regardless,
 * in this programme or another.
 */
@Injectable()
export class CreatePayoutBatchUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly readModels: ReadModelRepository,
    private readonly batches: PayoutBatchRepository,
    private readonly composer: BatchLinesComposer,
  ) {}

  async execute(command: CreatePayoutBatchCommand): Promise<string> {
    const batchId = randomUUID();
    try {
      await this.dataSource.transaction(async (manager) => {
        await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`payout-batch:${command.programmeId}:${command.month}`]);
        const programme = await this.readModels.findProgramme(manager, command.programmeId);
        if (!programme) throw PayoutBatchErrors.unknownProgramme(command.programmeId);
        if (command.month < programme.firstMonth || command.month > programme.lastMonth) {
          throw PayoutBatchErrors.monthOutsideProgramme(command.month, programme);
        }
        const composed = await this.composer.compose(manager, batchId, programme.programmeId, command.month);
        if (composed.lines.length === 0) throw PayoutBatchErrors.nothingToPay(command.month, composed.excludedByReason);
        await this.batches.insertBatch(manager, {
          id: batchId,
          programmeId: programme.programmeId,
          programmeCode: programme.code,
          month: command.month,
          lineCount: composed.lines.length,
          totalAmount: composed.totalAmount,
          excludedCount: composed.exclusions.length,
          createdBy: command.actor,
        });
        await this.batches.insertLines(manager, { id: batchId, programmeId: programme.programmeId, month: command.month }, composed.lines);
        await this.batches.replaceExclusions(manager, batchId, composed.exclusions);
        await this.batches.appendAudit(manager, batchId, {
          action: 'created',
          fromState: null,
          toState: 'DRAFT',
          actor: command.actor,
          reason: null,
          details: { lineCount: composed.lines.length, totalAmount: composed.totalAmount, excludedByReason: composed.excludedByReason },
        });
      });
    } catch (error) {
      if (isUniqueViolation(error, 'payout_lines_one_live_per_student_month')) throw PayoutBatchErrors.lineSlotTaken();
      throw error;
    }
    return batchId;
  }
}
