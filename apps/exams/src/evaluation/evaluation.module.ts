import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module';
import { EvaluatePassRatesUseCase } from './evaluate-pass-rates.use-case';
import { EvaluateTwoByTwoUseCase } from './evaluate-two-by-two.use-case';
import { EvaluationController } from './evaluation.controller';
import { EvaluationRepository } from './evaluation.repository';

@Module({
  imports: [SessionsModule],
  controllers: [EvaluationController],
  providers: [EvaluationRepository, EvaluatePassRatesUseCase, EvaluateTwoByTwoUseCase],
})
export class EvaluationModule {}
