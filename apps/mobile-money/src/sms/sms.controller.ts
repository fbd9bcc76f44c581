import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ProviderEndpoint } from '../common/provider-api.decorator';
import { ProviderClient } from '../oauth/provider-token.guard';
import { SendSmsDto } from './dto/send-sms.dto';
import { ListSmsUseCase } from './list-sms.use-case';
import { SendSmsUseCase } from './send-sms.use-case';
import type { SmsView } from './sms.repository';

@ApiTags('sms')
@ProviderEndpoint()
@Controller('sms/outbound')
export class SmsController {
  constructor(
    private readonly sendSms: SendSmsUseCase,
    private readonly listSms: ListSmsUseCase,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Send an SMS (201; the same reference again: 200 with the original, nothing sent)',
  })
  async send(
    @Body() body: SendSmsDto,
    @ProviderClient() clientId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SmsView> {
    const { created, sms } = await this.sendSms.execute(body, clientId);
    response.status(created ? 201 : 200);
    return sms;
  }

  @Get()
  @ApiOperation({ summary: 'The SMS sent to a number, newest last (at most the latest 1000)' })
  @ApiQuery({ name: 'to', required: true, example: '+22376123456' })
  list(@Query('to') to: unknown): Promise<{ items: SmsView[] }> {
    return this.listSms.execute(to);
  }
}
