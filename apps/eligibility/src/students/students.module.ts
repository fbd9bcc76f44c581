import { Module } from '@nestjs/common';
import { ApplyStudentSnapshotUseCase } from './apply-student-snapshot.use-case';
import { StudentEventsConsumer } from './student-events.consumer';

@Module({
  controllers: [StudentEventsConsumer],
  providers: [ApplyStudentSnapshotUseCase],
})
export class StudentsModule {}
