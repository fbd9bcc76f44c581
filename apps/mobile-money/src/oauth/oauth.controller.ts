import { Controller, Header, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ProviderEndpoint } from '../common/provider-api.decorator';
import { IssuedToken, IssueTokenUseCase } from './issue-token.use-case';

@ApiTags('oauth')
@ProviderEndpoint({ authenticated: false })
@Controller('oauth/v3')
export class OAuthController {
  constructor(private readonly issueToken: IssueTokenUseCase) {}

  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'OAuth2 client-credentials token',
    description:
      'HTTP Basic client_id:client_secret, form body grant_type=client_credentials. 401 codes: 40 missing, 41 invalid.',
  })
  issue(@Req() request: FastifyRequest): Promise<IssuedToken> {
    const body = (request.body ?? {}) as Record<string, unknown>;
    return this.issueToken.execute({
      authorization: request.headers.authorization,
      grantType: body.grant_type,
    });
  }
}
