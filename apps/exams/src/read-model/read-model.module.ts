import { Module } from '@nestjs/common';
import { ApplyAwardChangeUseCase } from './apply-award-change.use-case';
import { ApplyStudentSnapshotUseCase } from './apply-student-snapshot.use-case';
import { ReadModelEventsConsumer } from './read-model-events.consumer';
import { ReadModelRepository } from './read-model.repository';
import { RecordStipendPayoutUseCase } from './record-stipend-payout.use-case';

@Module({
  controllers: [ReadModelEventsConsumer],
  providers: [
    ReadModelRepository,
    ApplyStudentSnapshotUseCase,
    ApplyAwardChangeUseCase,
    RecordStipendPayoutUseCase,
  ],
  exports: [ReadModelRepository],
})
export class ReadModelModule {}
