import { Module } from '@nestjs/common';
import { ReadModelModule } from '../read-model/read-model.module';
import { SessionsModule } from '../sessions/sessions.module';
import { CorrectExamResultUseCase } from './correct-exam-result.use-case';
import { ExamResultRepository } from './exam-result.repository';
import { ExamResultsController } from './exam-results.controller';
import { RecordExamResultUseCase } from './record-exam-result.use-case';
import { ResultRecorder } from './result-recorder';
import { StudentResolver } from './student-resolver';

@Module({
  imports: [SessionsModule, ReadModelModule],
  controllers: [ExamResultsController],
  providers: [
    ExamResultRepository,
    ResultRecorder,
    StudentResolver,
    RecordExamResultUseCase,
    CorrectExamResultUseCase,
  ],
  exports: [ResultRecorder, ExamResultRepository],
})
export class ResultsModule {}
