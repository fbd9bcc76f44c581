import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { safeError } from '../common/safe-error';
import { MOBILE_MONEY_CONFIG } from '../config/mobile-money.config';
import type { MobileMoneyConfig } from '../config/mobile-money.config';
import { AccessTokenRepository } from './access-token.repository';
import { hashToken, parseBasicAuthorization, sameSecret } from './client-credentials';
import { OAuthErrors } from './oauth.errors';
import { TokenCache } from './token-cache';

export interface IssueTokenCommand {
  authorization: string | undefined;
  grantType: unknown;
}

export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/** OAuth2 client-credentials grant: checks the merchant's Basic credentials and issues a bearer token. */
@Injectable()
export class IssueTokenUseCase {
  private readonly logger = new Logger(IssueTokenUseCase.name);
  private lastSweepAt = 0;

  constructor(
    @Inject(MOBILE_MONEY_CONFIG) private readonly config: MobileMoneyConfig,
    private readonly tokens: AccessTokenRepository,
    private readonly cache: TokenCache,
  ) {}

  async execute(command: IssueTokenCommand): Promise<IssuedToken> {
    const credentials = parseBasicAuthorization(command.authorization);
    if (credentials === null) throw OAuthErrors.missingCredentials();
    if (credentials === 'malformed') throw OAuthErrors.invalidClientCredentials();
    const idMatches = sameSecret(credentials.clientId, this.config.MOBILE_MONEY_CLIENT_ID);
    const secretMatches = sameSecret(credentials.clientSecret, this.config.MOBILE_MONEY_CLIENT_SECRET);
    if (!idMatches || !secretMatches) throw OAuthErrors.invalidClientCredentials();
    if (command.grantType !== 'client_credentials') throw OAuthErrors.invalidGrantType();

    const token = randomBytes(32).toString('base64url');
    const tokenHash = hashToken(token);
    const ttl = this.config.MOBILE_MONEY_TOKEN_TTL_SECONDS;
    const expiresAt = await this.tokens.saveIssued(tokenHash, credentials.clientId, ttl);
    this.cache.set(tokenHash, { clientId: credentials.clientId, expiresAtMs: expiresAt.getTime() });
    this.sweepNowAndThen();
    return { access_token: token, token_type: 'Bearer', expires_in: ttl };
  }

  private sweepNowAndThen(): void {
    if (Date.now() - this.lastSweepAt < SWEEP_INTERVAL_MS) return;
    this.lastSweepAt = Date.now();
    this.tokens
      .deleteLongExpired()
      .catch((error: unknown) => this.logger.warn({ error: safeError(error) }, 'expired-token sweep failed'));
  }
}
