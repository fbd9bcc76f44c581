import { ProviderError } from '../common/provider-error';

/** Orange-Money-style authentication errors: 40 missing, 41 invalid, 42 expired. */
export const OAuthErrors = {
  missingCredentials: () =>
    ProviderError.unauthorized(
      40,
      'Missing credentials',
      'The request has no Authorization header with credentials.',
    ),
  invalidClientCredentials: () =>
    ProviderError.unauthorized(41, 'Invalid credentials', 'The client id or client secret is not valid.'),
  missingToken: () =>
    ProviderError.unauthorized(
      40,
      'Missing credentials',
      'The request has no "Authorization: Bearer <token>" header.',
    ),
  invalidToken: () => ProviderError.unauthorized(41, 'Invalid credentials', 'The access token is not valid.'),
  expiredToken: () =>
    ProviderError.unauthorized(42, 'Expired credentials', 'The access token has expired; request a new one.'),
  invalidGrantType: () =>
    new ProviderError(400, {
      code: 'INVALID_GRANT_TYPE',
      message: 'grant_type must be "client_credentials"',
    }),
};
