import { Module } from '@nestjs/common';
import { DisbursementQueueModule } from '../disbursement/disbursement.queue';
import { LedgerModule } from '../ledger/ledger.module';
import { ProviderModule } from '../provider/provider.module';
import { ReadModelsModule } from '../read-models/read-models.module';
import { ApprovePayoutBatchUseCase } from './approve-payout-batch.use-case';
import { BatchLinesComposer } from './batch-lines.composer';
import { CreatePayoutBatchUseCase } from './create-payout-batch.use-case';
import { GetPayoutBatchUseCase } from './get-payout-batch.use-case';
import { ListPayoutBatchesUseCase } from './list-payout-batches.use-case';
import { ListPayoutLinesUseCase } from './list-payout-lines.use-case';
import { PayoutBatchRepository } from './payout-batch.repository';
import { PayoutBatchesController } from './payout-batches.controller';
import { RejectPayoutBatchUseCase } from './reject-payout-batch.use-case';
import { ReleasePayoutBatchUseCase } from './release-payout-batch.use-case';
import { ReopenPayoutBatchUseCase } from './reopen-payout-batch.use-case';
import { StartDisbursementUseCase } from './start-disbursement.use-case';
import { SubmitPayoutBatchUseCase } from './submit-payout-batch.use-case';

@Module({
  imports: [ReadModelsModule, LedgerModule, ProviderModule, DisbursementQueueModule],
  controllers: [PayoutBatchesController],
  providers: [
    PayoutBatchRepository,
    BatchLinesComposer,
    CreatePayoutBatchUseCase,
    GetPayoutBatchUseCase,
    ListPayoutBatchesUseCase,
    ListPayoutLinesUseCase,
    SubmitPayoutBatchUseCase,
    ApprovePayoutBatchUseCase,
    RejectPayoutBatchUseCase,
    ReopenPayoutBatchUseCase,
    ReleasePayoutBatchUseCase,
    StartDisbursementUseCase,
  ],
  exports: [PayoutBatchRepository, StartDisbursementUseCase],
})
export class BatchesModule {}
