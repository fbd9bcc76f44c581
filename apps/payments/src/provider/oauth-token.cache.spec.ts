import { OAuthTokenCache } from './oauth-token.cache';

describe('OAuthTokenCache', () => {
  it('fetches once for concurrent callers and reuses the token until it nears expiry', async () => {
    let now = 0;
    let issued = 0;
    const cache = new OAuthTokenCache(async () => ({ accessToken: `t${++issued}`, expiresInSeconds: 100 }), () => now);
    const tokens = await Promise.all([cache.get(), cache.get(), cache.get()]);
    expect(tokens).toEqual(['t1', 't1', 't1']);
    now = 70_000;
    expect(await cache.get()).toBe('t1');
    expect(issued).toBe(1);
  });

  it('renews in the background after 80% of the lifetime, and in the foreground once expired', async () => {
    let now = 0;
    let issued = 0;
    const cache = new OAuthTokenCache(async () => ({ accessToken: `t${++issued}`, expiresInSeconds: 100 }), () => now);
    await cache.get();
    now = 85_000;
    expect(await cache.get()).toBe('t1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get()).toBe('t2');
    now = 500_000;
    expect(await cache.get()).toBe('t3');
  });

  it('forgets a token the provider refused, but not a newer one', async () => {
    let issued = 0;
    const cache = new OAuthTokenCache(async () => ({ accessToken: `t${++issued}`, expiresInSeconds: 3600 }));
    const first = await cache.get();
    cache.invalidate(first);
    const second = await cache.get();
    expect(second).toBe('t2');
    cache.invalidate(first);
    expect(await cache.get()).toBe('t2');
  });

  it('lets a failed fetch fail its callers and tries again next time', async () => {
    let calls = 0;
    const cache = new OAuthTokenCache(async () => {
      calls += 1;
      if (calls === 1) throw new Error('token endpoint down');
      return { accessToken: 'ok', expiresInSeconds: 60 };
    });
    await expect(cache.get()).rejects.toThrow('token endpoint down');
    await expect(cache.get()).resolves.toBe('ok');
  });
});
