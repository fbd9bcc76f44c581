import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import { Public } from '@scholarpay/auth';
import type { FastifyRequest } from 'fastify';
import { CallbackAnswer, HandleProviderCallbackUseCase } from './handle-provider-callback.use-case';

/** Signed callbacks from the mobile-money provider (no bearer token: the HMAC signature authenticates). */
@ApiTags('provider callbacks')
@Public()
@Controller('provider-callbacks')
export class ProviderCallbacksController {
  constructor(private readonly handle: HandleProviderCallbackUseCase) {}

  @Post('mobile-money')
  @HttpCode(202)
  @ApiExcludeEndpoint()
  async mobileMoney(@Req() request: RawBodyRequest<FastifyRequest>, @Headers('x-callback-signature') signature: string | undefined): Promise<CallbackAnswer> {
    return this.handle.execute({ rawBody: request.rawBody, signature });
  }
}
