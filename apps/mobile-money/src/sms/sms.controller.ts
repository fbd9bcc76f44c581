import { Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { createValidationPipe } from '@scholarpay/platform';
import type { FastifyReply } from 'fastify';
import { ProviderEndpoint, ProviderHotPathEndpoint } from '../common/provider-api.decorator';
import { ProviderHotPath } from '../common/provider-hot-path';
import type { FaultedRequest } from '../faults/request-fault-gate';
import { SendSmsBatchDto, SendSmsDto } from './dto/send-sms.dto';
import { ListSmsUseCase } from './list-sms.use-case';
import { SendSmsUseCase, SmsBatchItem } from './send-sms.use-case';
import type { SmsView } from './sms.repository';

@ApiTags('sms')
@Controller('sms/outbound')
export class SmsController {
  private readonly validation = createValidationPipe();

  constructor(
    private readonly sendSms: SendSmsUseCase,
    private readonly listSms: ListSmsUseCase,
    private readonly hotPath: ProviderHotPath,
  ) {}

  @Post()
  @ProviderHotPathEndpoint()
  @ApiOperation({
    summary:
      'Send an SMS (201; the same reference, number and text again: 200 with the original; the same reference with another number or text: 409 RESOURCE_ALREADY_EXIST; nothing sent in either case)',
  })
  @ApiBody({ type: SendSmsDto })
  async send(@Req() request: FaultedRequest, @Res({ passthrough: true }) response: FastifyReply): Promise<SmsView> {
    const { created, sms } = await this.hotPath.run(request, async (clientId) => {
      const body = (await this.validation.transform(request.body, { type: 'body', metatype: SendSmsDto })) as SendSmsDto;
      return this.sendSms.execute(body, clientId);
    });
    response.status(created ? 201 : 200);
    return sms;
  }

  @Post('batch')
  @ProviderHotPathEndpoint()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send up to 100 SMS at once, each with its own reference',
    description:
      'Each message is sent as POST /sms/outbound would send it: `SENT`; `ALREADY_SENT` with the original when its reference was used before for the same number and text; `CONFLICT` with `error` (RESOURCE_ALREADY_EXIST, no `sms`) when it was used for another number or text (nothing sent in either case). A message that is not valid refuses the whole request (400 naming it). Counts as one request per message against the rate limit.',
  })
  @ApiBody({ type: SendSmsBatchDto })
  sendBatch(@Req() request: FaultedRequest): Promise<{ items: SmsBatchItem[] }> {
    return this.hotPath.runBulk(request, SendSmsBatchDto, 'messages', (body, clientId) => this.sendSms.executeMany(body.messages, clientId));
  }

  @Get()
  @ProviderEndpoint()
  @ApiOperation({ summary: 'The SMS sent to a number, newest last (at most the latest 1000)' })
  @ApiQuery({ name: 'to', required: true, example: '+22376123456' })
  list(@Query('to') to: unknown): Promise<{ items: SmsView[] }> {
    return this.listSms.execute(to);
  }
}
