import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ProviderAdminEndpoint } from '../common/provider-api.decorator';
import { ProviderClient } from '../oauth/provider-token.guard';
import { TopUpFloatDto } from './dto/top-up-float.dto';
import { UpsertSubscriberDto } from './dto/upsert-subscriber.dto';
import { GetSubscriberUseCase } from './get-subscriber.use-case';
import type { SubscriberJson } from './subscriber.presenter';
import { FloatJson, TopUpFloatUseCase } from './top-up-float.use-case';
import { UpsertSubscriberUseCase } from './upsert-subscriber.use-case';

@ApiTags('admin')
@ProviderAdminEndpoint()
@Controller('admin')
export class AdminWalletsController {
  constructor(
    private readonly upsertSubscriber: UpsertSubscriberUseCase,
    private readonly getSubscriber: GetSubscriberUseCase,
    private readonly topUpFloat: TopUpFloatUseCase,
  ) {}

  @Post('subscribers')
  @ApiOperation({
    summary: 'Open a wallet or change its KYC level / blocked flag (201 created, 200 updated)',
  })
  async upsert(
    @Body() body: UpsertSubscriberDto,
    @ProviderClient() clientId: string,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<SubscriberJson> {
    const { created, subscriber } = await this.upsertSubscriber.execute(body, clientId);
    response.status(created ? 201 : 200);
    return subscriber;
  }

  @Get('subscribers/:msisdn')
  @ApiOperation({ summary: 'A wallet: balance, KYC level, blocked flag, credits today' })
  get(@Param('msisdn') msisdn: string): Promise<SubscriberJson> {
    return this.getSubscriber.execute(msisdn);
  }

  @Post('float')
  @HttpCode(200)
  @ApiOperation({ summary: 'Top up the merchant float' })
  topUp(@Body() body: TopUpFloatDto, @ProviderClient() clientId: string): Promise<FloatJson> {
    return this.topUpFloat.execute(body, clientId);
  }
}
