/**
 * An answer in the provider's own error format (not the platform's): Orange-Money-style bodies
 * such as `{ code: 41, message, description }` or `{ code: "INVALID_REQUEST", message, errors }`.
 */
export class ProviderError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.message === 'string' ? body.message : `provider error ${status}`);
    this.name = 'ProviderError';
  }

  static invalidRequest(message: string, errors: { field: string; problem: string }[] = []): ProviderError {
    return new ProviderError(400, { code: 'INVALID_REQUEST', message, errors });
  }

  static notFound(message: string): ProviderError {
    return new ProviderError(404, { code: 'RESOURCE_NOT_FOUND', message });
  }

  static unauthorized(code: 40 | 41 | 42, message: string, description: string): ProviderError {
    return new ProviderError(401, { code, message, description }, { 'WWW-Authenticate': 'Bearer' });
  }

  static internal(message = 'internal error'): ProviderError {
    return new ProviderError(500, { code: 'INTERNAL_ERROR', message });
  }

  static unavailable(message = 'the service is temporarily unavailable'): ProviderError {
    return new ProviderError(503, { code: 'SERVICE_UNAVAILABLE', message });
  }

  static tooManyRequests(retryAfterSeconds: number): ProviderError {
    return new ProviderError(
      429,
      { code: 'TOO_MANY_REQUESTS', message: `rate limit exceeded; retry after ${retryAfterSeconds} s` },
      { 'Retry-After': String(retryAfterSeconds) },
    );
  }
}
