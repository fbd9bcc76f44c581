import { Module } from '@nestjs/common';
import { OverridesController } from './overrides.controller';
import { RecordOverrideUseCase } from './record-override.use-case';

@Module({
  controllers: [OverridesController],
  providers: [RecordOverrideUseCase],
})
export class OverridesModule {}
