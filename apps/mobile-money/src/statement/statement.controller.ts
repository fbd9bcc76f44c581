import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ProviderEndpoint } from '../common/provider-api.decorator';
import { ListTransactionsUseCase, StatementPage } from './list-transactions.use-case';

@ApiTags('statement')
@ProviderEndpoint()
@Controller('transactions')
export class StatementController {
  constructor(private readonly listTransactions: ListTransactionsUseCase) {}

  @Get()
  @ApiOperation({ summary: 'Transaction statement (reconciliation), in creation order, keyset-paginated' })
  @ApiQuery({ name: 'from', required: false, description: 'ISO date-time, inclusive' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO date-time, exclusive' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1..1000, default 100' })
  list(
    @Query('from') from?: unknown,
    @Query('to') to?: unknown,
    @Query('cursor') cursor?: unknown,
    @Query('limit') limit?: unknown,
  ): Promise<StatementPage> {
    return this.listTransactions.execute({ from, to, cursor, limit });
  }
}
