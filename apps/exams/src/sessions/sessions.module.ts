import { Module } from '@nestjs/common';
import { CreateExamSessionUseCase } from './create-exam-session.use-case';
import { ExamSessionRepository } from './exam-session.repository';
import { ExamSessionsController } from './exam-sessions.controller';

@Module({
  controllers: [ExamSessionsController],
  providers: [ExamSessionRepository, CreateExamSessionUseCase],
  exports: [ExamSessionRepository],
})
export class SessionsModule {}
