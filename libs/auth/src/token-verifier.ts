import { isUuid } from '@scholarpay/contracts';
import { createRemoteJWKSet, jwtVerify, JWTPayload, SignJWT } from 'jose';
import { allRoles, AuthenticatedUser, Role } from './roles';

export interface TokenVerifierOptions {
  /** HS256 shared secret. */
  secret?: string;
  /** RS256 (or any asymmetric algorithm) keys from an identity provider. */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

/** How far the issuer's clock and ours may disagree. */
const CLOCK_TOLERANCE_SECONDS = 60;

export class InvalidTokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

/** Verifies bearer tokens: HS256 with a shared secret, or RS256 with keys from a JWKS URL. */
export class TokenVerifier {
  private readonly verifyToken: (token: string) => Promise<JWTPayload>;

  constructor(options: TokenVerifierOptions) {
    // A token without an expiry would be valid forever; one issued in the future was not issued by a
    // clock we can trust (jose checks `iat` against the clock only with maxTokenAge, which would
    // also make `iat` required).
    const claims = {
      ...(options.issuer ? { issuer: options.issuer } : {}),
      ...(options.audience ? { audience: options.audience } : {}),
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    };
    if (options.jwksUrl) {
      const keys = createRemoteJWKSet(new URL(options.jwksUrl));
      this.verifyToken = async (token) =>
        (await jwtVerify(token, keys, { ...claims, algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'PS256'] })).payload;
    } else if (options.secret) {
      const key = new TextEncoder().encode(options.secret);
      this.verifyToken = async (token) => (await jwtVerify(token, key, { ...claims, algorithms: ['HS256'] })).payload;
    } else {
      throw new Error('TokenVerifier needs a secret or a JWKS URL');
    }
  }

  async verify(token: string): Promise<AuthenticatedUser> {
    let payload: JWTPayload;
    try {
      payload = await this.verifyToken(token);
    } catch (error) {
      const code = (error as { code?: string }).code;
      const claim = (error as { claim?: string }).claim;
      if (code === 'ERR_JWT_EXPIRED') throw new InvalidTokenError('the token has expired');
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'exp') throw new InvalidTokenError('the token has no expiry (exp)');
      throw new InvalidTokenError('the token is not valid');
    }
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS) {
      throw new InvalidTokenError('the token was issued in the future (iat)');
    }
    return userFromClaims(payload);
  }
}

/** Longest subject we record as an actor (audit rows, created_by columns). */
const MAX_SUBJECT_LENGTH = 255;

/**
 * The user a token names. The subject becomes the recorded actor of every change and is compared
 * for the two-person rule, so it must be printable text with no surrounding spaces ("amadou " is not
 * a second person); school ids must be UUIDs, kept in lower case as Postgres writes them, so that
 * one bad entry cannot turn every query of the user into a 500.
 */
export function userFromClaims(payload: JWTPayload): AuthenticatedUser {
  if (typeof payload.sub !== 'string' || payload.sub.trim().length === 0) {
    throw new InvalidTokenError('the token has no subject');
  }
  if (payload.sub !== payload.sub.trim() || /\p{Cc}/u.test(payload.sub) || payload.sub.length > MAX_SUBJECT_LENGTH) {
    throw new InvalidTokenError(`the token's subject must be printable text of at most ${MAX_SUBJECT_LENGTH} characters, without surrounding spaces`);
  }
  const roles = Array.isArray(payload.roles) ? payload.roles.filter(isRole) : [];
  const schoolIds = payload.schoolIds === undefined ? [] : payload.schoolIds;
  if (!Array.isArray(schoolIds) || !schoolIds.every(isUuid)) {
    throw new InvalidTokenError("the token's schoolIds must be a list of school ids (UUIDs)");
  }
  return { sub: payload.sub, roles, schoolIds: [...new Set(schoolIds.map((id) => id.toLowerCase()))] };
}

function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (allRoles as string[]).includes(value);
}

export interface DevelopmentTokenClaims {
  sub: string;
  roles: Role[];
  schoolIds?: string[];
  /** Lifetime, e.g. '8h'. */
  expiresIn?: string;
}

/** Signs an HS256 token for development and tests, with the same secret the services verify with. */
export async function signDevelopmentToken(claims: DevelopmentTokenClaims, secret: string): Promise<string> {
  return new SignJWT({ roles: claims.roles, schoolIds: claims.schoolIds ?? [] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? '8h')
    .sign(new TextEncoder().encode(secret));
}
