import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ProviderHotPathEndpoint } from '../common/provider-api.decorator';
import { ProviderHotPath } from '../common/provider-hot-path';
import type { FaultedRequest } from '../faults/request-fault-gate';
import { AcceptCashinRoute } from './accept-cashin.route';
import { CreateCashinDto } from './dto/create-cashin.dto';
import { LookupCashinsDto } from './dto/lookup-cashins.dto';
import { CashinLookupItem, GetCashinUseCase } from './get-cashin.use-case';
import type { TransactionView } from './transaction.presenter';

@ApiTags('cashins')
@Controller('cashins')
export class CashinsController {
  constructor(
    private readonly acceptCashin: AcceptCashinRoute,
    private readonly getCashin: GetCashinUseCase,
    private readonly hotPath: ProviderHotPath,
  ) {}

  @Post()
  @ProviderHotPathEndpoint()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Cash-in: pay a subscriber from the merchant float',
    description:
      '202 PENDING, then SUCCESS or FAILED (status query, callback). The same X-Reference-Id never pays twice.',
  })
  @ApiBody({ type: CreateCashinDto })
  @ApiHeader({
    name: 'X-Reference-Id',
    required: true,
    description: 'UUID: the idempotency reference of this payment',
  })
  @ApiHeader({
    name: 'X-Callback-Url',
    required: false,
    description: 'where the signed final callback is POSTed',
  })
  create(@Req() request: FaultedRequest, @Res() response: FastifyReply): Promise<void> {
    return this.acceptCashin.handle(request, response);
  }

  @Post('lookup')
  @ProviderHotPathEndpoint()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Status of up to 100 cash-ins at once, by X-Reference-Id',
    description:
      'The same answer as GET /cashins/{referenceId} for each reference, in the order asked; `transaction` is null where no cash-in has the reference. Counts as one request per reference against the rate limit.',
  })
  @ApiBody({ type: LookupCashinsDto })
  lookup(@Req() request: FaultedRequest): Promise<{ items: CashinLookupItem[] }> {
    return this.hotPath.runBulk(request, LookupCashinsDto, 'referenceIds', (body) => this.getCashin.lookup(body.referenceIds));
  }

  @Get(':referenceId')
  @ProviderHotPathEndpoint()
  @ApiOperation({ summary: 'Status of a cash-in by its X-Reference-Id' })
  status(@Req() request: FaultedRequest, @Param('referenceId') referenceId: string): Promise<TransactionView> {
    return this.hotPath.run(request, () => this.getCashin.execute(referenceId));
  }
}
