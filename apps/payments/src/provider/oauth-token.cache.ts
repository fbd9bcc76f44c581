/**
 * An OAuth2 client-credentials token, fetched once and shared by every concurrent call, renewed
 * a little before it expires (and at once when the provider says it has: 401 code 42).
 */
export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

export class TokenUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenUnavailableError';
  }
}

export class OAuthTokenCache {
  private token: { value: string; renewAt: number; expiresAt: number } | null = null;
  private inflight: Promise<string> | null = null;

  constructor(
    private readonly issue: () => Promise<IssuedToken>,
    private readonly now: () => number = Date.now,
  ) {}

  /** A valid token, fetching one if there is none or it is about to expire; concurrent callers share one fetch. */
  async get(): Promise<string> {
    const current = this.token;
    if (current && this.now() < current.renewAt) return current.value;
    // Near expiry but still valid: renew in the background once, keep using the current one.
    if (current && this.now() < current.expiresAt) {
      void this.renew().catch(() => undefined);
      return current.value;
    }
    return this.renew();
  }

  /** Forget `value` if it is the cached token (the provider refused it); the next get() fetches anew. */
  invalidate(value: string): void {
    if (this.token?.value === value) this.token = null;
  }

  private renew(): Promise<string> {
    this.inflight ??= (async () => {
      try {
        const issued = await this.issue();
        const lifetimeMs = Math.max(1, issued.expiresInSeconds) * 1000;
        const fetchedAt = this.now();
        // Renew after 80% of the lifetime, and never later than a minute before expiry.
        const margin = Math.min(60000, lifetimeMs * 0.2);
        this.token = { value: issued.accessToken, renewAt: fetchedAt + lifetimeMs - margin, expiresAt: fetchedAt + lifetimeMs - 1000 };
        return issued.accessToken;
      } finally {
        this.inflight = null;
      }
    })();
    return this.inflight;
  }
}
