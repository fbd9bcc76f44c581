export interface CachedToken {
  clientId: string;
  expiresAtMs: number;
}

/**
 * Verified token hashes with their expiry, least recently used evicted first, so the bearer check
 * on every request is not a database round trip. Only tokens found in the database are cached;
 * expiry is checked against the clock on every lookup.
 */
export class TokenCache {
  private readonly entries = new Map<string, CachedToken>();

  constructor(private readonly maxEntries = 10_000) {}

  get(tokenHash: string): CachedToken | undefined {
    const entry = this.entries.get(tokenHash);
    if (entry) {
      this.entries.delete(tokenHash);
      this.entries.set(tokenHash, entry);
    }
    return entry;
  }

  set(tokenHash: string, entry: CachedToken): void {
    this.entries.delete(tokenHash);
    this.entries.set(tokenHash, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
