import { Module } from '@nestjs/common';
import { ChangeProgrammeRulesUseCase } from './change-programme-rules.use-case';
import { CreateProgrammeUseCase } from './create-programme.use-case';
import { ProgrammeQueries } from './programme-queries';
import { ProgrammeController } from './programme.controller';

@Module({
  controllers: [ProgrammeController],
  providers: [CreateProgrammeUseCase, ChangeProgrammeRulesUseCase, ProgrammeQueries],
})
export class ProgrammesModule {}
