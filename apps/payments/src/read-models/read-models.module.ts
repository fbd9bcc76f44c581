import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { ApplyAwardChangedUseCase } from './apply-award-changed.use-case';
import { ApplyProgrammeDefinedUseCase } from './apply-programme-defined.use-case';
import { ApplyStudentSnapshotUseCase } from './apply-student-snapshot.use-case';
import { ReadModelEventsConsumer } from './read-model-events.consumer';
import { ReadModelRepository } from './read-model.repository';

@Module({
  imports: [LedgerModule],
  controllers: [ReadModelEventsConsumer],
  providers: [ReadModelRepository, ApplyProgrammeDefinedUseCase, ApplyAwardChangedUseCase, ApplyStudentSnapshotUseCase],
  exports: [ReadModelRepository],
})
export class ReadModelsModule {}
