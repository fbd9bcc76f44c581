import { Module } from '@nestjs/common';
import { BatchesModule } from '../batches/batches.module';
import { ProviderModule } from '../provider/provider.module';
import { GetReconciliationUseCase } from './get-reconciliation.use-case';
import { ListReconciliationItemsUseCase } from './list-reconciliation-items.use-case';
import { ReconciliationRepository } from './reconciliation.repository';
import { ReconciliationsController } from './reconciliations.controller';
import { RunReconciliationUseCase } from './run-reconciliation.use-case';

@Module({
  imports: [BatchesModule, ProviderModule],
  controllers: [ReconciliationsController],
  providers: [ReconciliationRepository, RunReconciliationUseCase, GetReconciliationUseCase, ListReconciliationItemsUseCase],
})
export class ReconciliationModule {}
