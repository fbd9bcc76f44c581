import { Module } from '@nestjs/common';
import { ReadModelModule } from '../read-model/read-model.module';
import { SessionsModule } from '../sessions/sessions.module';
import { EvaluatePassRatesUseCase } from './evaluate-pass-rates.use-case';
import { EvaluateTwoByTwoUseCase } from './evaluate-two-by-two.use-case';
import { EvaluationController } from './evaluation.controller';
import { EvaluationRepository } from './evaluation.repository';

@Module({
  imports: [SessionsModule, ReadModelModule],
  controllers: [EvaluationController],
  providers: [EvaluationRepository, EvaluatePassRatesUseCase, EvaluateTwoByTwoUseCase],
})
export class EvaluationModule {}
