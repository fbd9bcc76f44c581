import { Module } from '@nestjs/common';
import { ReadModelModule } from '../read-model/read-model.module';
import { ResultsModule } from '../results/results.module';
import { SessionsModule } from '../sessions/sessions.module';
import { ExamResultImportRepository } from './exam-result-import.repository';
import { ExamResultImportsController } from './exam-result-imports.controller';
import { ImportQueue } from './import.queue';
import { ProcessImportUseCase } from './process-import.use-case';
import { StartImportUseCase } from './start-import.use-case';

@Module({
  imports: [SessionsModule, ReadModelModule, ResultsModule],
  controllers: [ExamResultImportsController],
  providers: [ExamResultImportRepository, ProcessImportUseCase, ImportQueue, StartImportUseCase],
})
export class ImportsModule {}
