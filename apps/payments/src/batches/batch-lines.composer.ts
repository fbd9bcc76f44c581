import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ReadModelRepository } from '../read-models/read-model.repository';
import { awardsRevokedIn, composeLine, ExclusionReason } from './batch-composition.rules';
import { NewExclusion, NewLine, PayoutBatchRepository } from './payout-batch.repository';

export interface ComposedBatch {
  lines: NewLine[];
  exclusions: NewExclusion[];
  totalAmount: number;
  excludedByReason: Partial<Record<ExclusionReason, number>>;
}

/** Turns the programme's awards covering a month into lines and exclusions, per the composition rules. */
@Injectable()
export class BatchLinesComposer {
  constructor(
    private readonly readModels: ReadModelRepository,
    private readonly batches: PayoutBatchRepository,
  ) {}

  async compose(manager: EntityManager, batchId: string, programmeId: string, month: string): Promise<ComposedBatch> {
    const candidates = await this.readModels.findAwardsCoveringMonth(manager, programmeId, month);
    const live = await this.batches.findLiveLines(manager, month, [...new Set(candidates.map(({ award }) => award.studentId))]);
    const laterAwards = await this.readModels.findAwardsAfterRevocation(manager, month, awardsRevokedIn(month, candidates.map(({ award }) => award)));
    const lines: NewLine[] = [];
    const exclusions: NewExclusion[] = [];
    const excludedByReason: Partial<Record<ExclusionReason, number>> = {};
    let totalAmount = 0;
    for (const { award, payee } of candidates) {
      const composition = composeLine(award, month, payee, live.get(award.studentId), laterAwards.get(award.awardId));
      if (composition.kind === 'line') {
        // A second award of the same student covering the month (one revoked, one granted after
        // it) finds this line as the student's live line.
        live.set(award.studentId, { batchId, status: 'PENDING' });
        lines.push({
          id: randomUUID(),
          awardId: award.awardId,
          studentId: award.studentId,
          amount: composition.amount,
          phone: composition.phone,
          operator: composition.operator,
          payeeName: composition.payeeName,
        });
        totalAmount += composition.amount;
        if (!Number.isSafeInteger(totalAmount)) throw new Error('batch total exceeds the safe integer range');
      } else {
        exclusions.push({ awardId: award.awardId, studentId: award.studentId, reason: composition.reason, detail: composition.detail });
        excludedByReason[composition.reason] = (excludedByReason[composition.reason] ?? 0) + 1;
      }
    }
    return { lines, exclusions, totalAmount, excludedByReason };
  }
}
