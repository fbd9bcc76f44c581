import { CanActivate, ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ProviderTokenVerifier } from './provider-token.verifier';

export interface ProviderClientRequest extends FastifyRequest {
  providerClientId?: string;
}

/** The provider's bearer check on a route (its routes are @Public to the platform guard). */
@Injectable()
export class ProviderTokenGuard implements CanActivate {
  constructor(private readonly verifier: ProviderTokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ProviderClientRequest>();
    request.providerClientId = await this.verifier.clientIdOf(request.headers.authorization);
    return true;
  }
}

/** The merchant client id of the verified bearer token. */
export const ProviderClient = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<ProviderClientRequest>();
  if (!request.providerClientId) throw new Error('ProviderClient used on a route without ProviderTokenGuard');
  return request.providerClientId;
});
