import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PayoutBatchRepository } from '../batches/payout-batch.repository';
import { StartDisbursementUseCase } from '../batches/start-disbursement.use-case';

/**
 * At boot, picks up where a previous process stopped (a crash included): approved batches are
 * started, and every line of a disbursing batch that still has work is queued again. Safe to
 * repeat: each job looks at the line's recorded status (querying the provider first for anything
 * that may have been sent) before doing anything.
 */
@Injectable()
export class ResumeDisbursementUseCase {
  private readonly logger = new Logger(ResumeDisbursementUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly batches: PayoutBatchRepository,
    private readonly startDisbursement: StartDisbursementUseCase,
  ) {}

  async execute(): Promise<number> {
    const batches = await this.batches.findByStates(this.dataSource.manager, ['APPROVED', 'DISBURSING']);
    let queued = 0;
    for (const batch of batches) queued += await this.startDisbursement.execute(batch.id);
    if (batches.length > 0) this.logger.log({ batches: batches.length, queued }, 'disbursement resumed');
    return queued;
  }
}
