import { Module } from '@nestjs/common';
import { AdminFaultsController } from './admin-faults.controller';
import { ReplaceFaultsUseCase } from './replace-faults.use-case';

@Module({ controllers: [AdminFaultsController], providers: [ReplaceFaultsUseCase] })
export class FaultsModule {}
