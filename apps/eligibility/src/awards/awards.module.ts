import { Module } from '@nestjs/common';
import { AwardsController } from './awards.controller';
import { ListProgrammeAwardsUseCase } from './list-programme-awards.use-case';

@Module({
  controllers: [AwardsController],
  providers: [ListProgrammeAwardsUseCase],
})
export class AwardsModule {}
