import { Module } from '@nestjs/common';
import { ReadModelRepository } from '../read-models/read-model.repository';
import { GetProgrammeBalanceUseCase } from './get-programme-balance.use-case';
import { GetStudentBalanceUseCase } from './get-student-balance.use-case';
import { GetTrialBalanceUseCase } from './get-trial-balance.use-case';
import { LedgerController } from './ledger.controller';
import { LedgerRepository } from './ledger.repository';

@Module({
  controllers: [LedgerController],
  providers: [LedgerRepository, ReadModelRepository, GetProgrammeBalanceUseCase, GetStudentBalanceUseCase, GetTrialBalanceUseCase],
  exports: [LedgerRepository],
})
export class LedgerModule {}
