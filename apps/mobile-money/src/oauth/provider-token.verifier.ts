import { Injectable } from '@nestjs/common';
import { AccessTokenRepository } from './access-token.repository';
import { bearerTokenOf, hashToken } from './client-credentials';
import { OAuthErrors } from './oauth.errors';
import { TokenCache } from './token-cache';

/**
 * The provider's own bearer check: no token → 40, unknown token → 41, expired token → 42. Verified
 * tokens are cached by hash with their expiry, so a request costs a database round trip only the
 * first time its token is seen.
 */
@Injectable()
export class ProviderTokenVerifier {
  constructor(
    private readonly tokens: AccessTokenRepository,
    private readonly cache: TokenCache,
  ) {}

  /** The merchant client id the `Authorization` header's token was issued to. */
  async clientIdOf(authorizationHeader: string | undefined): Promise<string> {
    const token = bearerTokenOf(authorizationHeader);
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
    return entry.clientId;
  }
}
