import { Module } from '@nestjs/common';
import { ListTransactionsUseCase } from './list-transactions.use-case';
import { StatementController } from './statement.controller';

@Module({ controllers: [StatementController], providers: [ListTransactionsUseCase] })
export class StatementModule {}
