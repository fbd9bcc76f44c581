import { Body, Controller, Get, Headers, Param, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ProviderEndpoint } from '../common/provider-api.decorator';
import { ProviderClient } from '../oauth/provider-token.guard';
import { AcceptCashinUseCase } from './accept-cashin.use-case';
import { CreateCashinDto } from './dto/create-cashin.dto';
import { GetCashinUseCase } from './get-cashin.use-case';
import type { TransactionView } from './transaction.presenter';

@ApiTags('cashins')
@ProviderEndpoint()
@Controller('cashins')
export class CashinsController {
  constructor(
    private readonly acceptCashin: AcceptCashinUseCase,
    private readonly getCashin: GetCashinUseCase,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Cash-in: pay a subscriber from the merchant float',
    description:
      '202 PENDING, then SUCCESS or FAILED (status query, callback). The same X-Reference-Id never pays twice.',
  })
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
  async create(
    @Headers('x-reference-id') referenceId: string | undefined,
    @Headers('x-callback-url') callbackUrl: string | undefined,
    @Body() body: CreateCashinDto,
    @ProviderClient() clientId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TransactionView> {
    const answer = await this.acceptCashin.execute({
      referenceIdHeader: referenceId,
      callbackUrlHeader: callbackUrl,
      body,
      clientId,
    });
    response.status(answer.httpStatus);
    return answer.transaction;
  }

  @Get(':referenceId')
  @ApiOperation({ summary: 'Status of a cash-in by its X-Reference-Id' })
  status(@Param('referenceId') referenceId: string): Promise<TransactionView> {
    return this.getCashin.execute(referenceId);
  }
}
