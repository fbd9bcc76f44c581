import { Module } from '@nestjs/common';
import { CallbacksModule } from '../callbacks/callbacks.module';
import { WalletsModule } from '../wallets/wallets.module';
import { AcceptCashinRoute } from './accept-cashin.route';
import { AcceptCashinUseCase } from './accept-cashin.use-case';
import { CashinAcceptBatcher } from './cashin-accept.batcher';
import { CashinProcessor } from './cashin-processor.worker';
import { CashinRepository } from './cashin.repository';
import { CashinsController } from './cashins.controller';
import { CompleteCashinsUseCase } from './complete-cashins.use-case';
import { GetCashinUseCase } from './get-cashin.use-case';

@Module({
  imports: [WalletsModule, CallbacksModule],
  controllers: [CashinsController],
  providers: [
    CashinAcceptBatcher,
    CashinRepository,
    AcceptCashinUseCase,
    AcceptCashinRoute,
    GetCashinUseCase,
    CompleteCashinsUseCase,
    CashinProcessor,
  ],
  exports: [CashinRepository],
})
export class CashinsModule {}
