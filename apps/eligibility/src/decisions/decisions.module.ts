import { Module } from '@nestjs/common';
import { EligibilityController } from './eligibility.controller';
import { GetStudentEligibilityUseCase } from './get-student-eligibility.use-case';

@Module({
  controllers: [EligibilityController],
  providers: [GetStudentEligibilityUseCase],
})
export class DecisionsModule {}
