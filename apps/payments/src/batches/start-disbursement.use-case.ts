import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DisbursementQueue } from '../disbursement/disbursement.queue';
import { SYSTEM_ACTOR } from './batch-events';
import { PayoutBatchErrors } from './payout-batch.errors';
import { PayoutBatchRepository } from './payout-batch.repository';
import { nextBatchState } from './payout-batch.state-machine';

/**
 * An approved batch starts disbursing: it moves to DISBURSING and every line it still has work for
 * is queued. Running this again (at boot after a crash) queues those lines again: a line in two
 * jobs costs at most a status query, never a second payment (see DisbursementQueue).
 */
@Injectable()
export class StartDisbursementUseCase {
  private readonly logger = new Logger(StartDisbursementUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly batches: PayoutBatchRepository,
    private readonly queue: DisbursementQueue,
  ) {}

  async execute(batchId: string): Promise<number> {
    const disbursing = await this.dataSource.transaction(async (manager) => {
      const batch = await this.batches.findById(manager, batchId, { lock: true });
      if (!batch) throw PayoutBatchErrors.notFound(batchId);
      if (batch.state === 'DISBURSING') return true;
      if (batch.state !== 'APPROVED') return false;
      const to = nextBatchState(batch.state, 'startDisbursement');
      await this.batches.transition(manager, batchId, batch.state, to, { disbursement_started_at: new Date() });
      await this.batches.appendAudit(manager, batchId, {
        action: 'disbursement_started',
        fromState: batch.state,
        toState: to,
        actor: SYSTEM_ACTOR,
        reason: null,
        details: { lineCount: batch.lineCount, totalAmount: batch.totalAmount },
      });
      return true;
    });
    if (!disbursing) return 0;
    const lineIds = await this.batches.lineIdsToAdvance(this.dataSource.manager, batchId);
    await this.queue.enqueue(lineIds, 'first-send');
    this.logger.log({ batchId, queued: lineIds.length }, 'disbursement queued');
    return lineIds.length;
  }
}
