import { Module } from '@nestjs/common';
import { BatchesModule } from '../batches/batches.module';
import { LedgerModule } from '../ledger/ledger.module';
import { ProviderModule } from '../provider/provider.module';
import { AdvancePayoutLineUseCase } from './advance-payout-line.use-case';
import { BatchCompletionChecker } from './batch-completion.checker';
import { CompleteBatchUseCase } from './complete-batch.use-case';
import { DisbursementQueueModule } from './disbursement.queue';
import { DisbursementWorker } from './disbursement.worker';
import { HandleProviderCallbackUseCase } from './handle-provider-callback.use-case';
import { PayoutLineStore } from './payout-line.store';
import { PollDueLinesUseCase } from './poll-due-lines.use-case';
import { ProviderCallbacksController } from './provider-callbacks.controller';
import { ResumeDisbursementUseCase } from './resume-disbursement.use-case';

@Module({
  imports: [BatchesModule, LedgerModule, ProviderModule, DisbursementQueueModule],
  controllers: [ProviderCallbacksController],
  providers: [
    PayoutLineStore,
    CompleteBatchUseCase,
    BatchCompletionChecker,
    AdvancePayoutLineUseCase,
    PollDueLinesUseCase,
    ResumeDisbursementUseCase,
    HandleProviderCallbackUseCase,
    DisbursementWorker,
  ],
  exports: [PayoutLineStore],
})
export class DisbursementModule {}
