import type { BatchSummary } from './payout-batch.entities';
import type { PayoutBatch } from './payout-batch.repository';

/** Who the audit trail and events name for what the disbursement does on its own (start, completion). */
export const SYSTEM_ACTOR = 'system:disbursement';

/** The data of a batch submitted / approved / rejected / completed event. */
export function batchEventData(
  batch: Pick<PayoutBatch, 'id' | 'programmeId' | 'month' | 'lineCount' | 'totalAmount'>,
  actor: string,
  extra: { reason?: string; summary?: BatchSummary } = {},
) {
  return {
    batchId: batch.id,
    programmeId: batch.programmeId,
    month: batch.month,
    lineCount: batch.lineCount,
    totalAmount: batch.totalAmount,
    actor,
    ...(extra.reason ? { reason: extra.reason } : {}),
    ...(extra.summary ? { summary: extra.summary } : {}),
  };
}
