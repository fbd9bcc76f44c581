import { TokenCache } from './token-cache';

describe('TokenCache', () => {
  it('returns what was stored', () => {
    const cache = new TokenCache(10);
    cache.set('a', { clientId: 'merchant', expiresAtMs: 1000 });
    expect(cache.get('a')).toEqual({ clientId: 'merchant', expiresAtMs: 1000 });
    expect(cache.get('b')).toBeUndefined();
  });

  it('evicts the least recently used entry beyond its size', () => {
    const cache = new TokenCache(2);
    cache.set('a', { clientId: 'm', expiresAtMs: 1 });
    cache.set('b', { clientId: 'm', expiresAtMs: 1 });
    cache.get('a');
    cache.set('c', { clientId: 'm', expiresAtMs: 1 });
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.size).toBe(2);
  });
});
