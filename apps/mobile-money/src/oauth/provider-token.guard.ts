import { CanActivate, ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { AccessTokenRepository } from './access-token.repository';
import { bearerTokenOf, hashToken } from './client-credentials';
import { OAuthErrors } from './oauth.errors';
import { TokenCache } from './token-cache';

export interface ProviderClientRequest extends Request {
  providerClientId?: string;
}

/**
 * The provider's own bearer check (its routes are @Public to the platform guard): no token → 40,
 * unknown token → 41, expired token → 42. Verified tokens are cached by hash with their expiry.
 */
@Injectable()
export class ProviderTokenGuard implements CanActivate {
  constructor(
    private readonly tokens: AccessTokenRepository,
    private readonly cache: TokenCache,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ProviderClientRequest>();
    const token = bearerTokenOf(request.headers.authorization);
    if (!token) throw OAuthErrors.missingToken();
    const tokenHash = hashToken(token);
    let entry = this.cache.get(tokenHash);
    if (!entry) {
      const stored = await this.tokens.findByHash(tokenHash);
      if (!stored) throw OAuthErrors.invalidToken();
      entry = { clientId: stored.clientId, expiresAtMs: stored.expiresAt.getTime() };
      this.cache.set(tokenHash, entry);
    }
    if (entry.expiresAtMs <= Date.now()) throw OAuthErrors.expiredToken();
    request.providerClientId = entry.clientId;
    return true;
  }
}

/** The merchant client id of the verified bearer token. */
export const ProviderClient = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<ProviderClientRequest>();
  if (!request.providerClientId) throw new Error('ProviderClient used on a route without ProviderTokenGuard');
  return request.providerClientId;
});
