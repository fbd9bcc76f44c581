import { bearerTokenOf, hashToken, parseBasicAuthorization, sameSecret } from './client-credentials';

const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

describe('client credentials', () => {
  it('reads a Basic header', () => {
    expect(parseBasicAuthorization(basic('merchant:s3cret:with:colons'))).toEqual({
      clientId: 'merchant',
      clientSecret: 's3cret:with:colons',
    });
  });

  it('decodes form-encoded client ids and secrets', () => {
    expect(parseBasicAuthorization(basic('my%20client:a%2Bb'))).toEqual({
      clientId: 'my client',
      clientSecret: 'a+b',
    });
  });

  it('treats a missing or non-Basic header as no credentials', () => {
    expect(parseBasicAuthorization(undefined)).toBeNull();
    expect(parseBasicAuthorization('Bearer abc')).toBeNull();
  });

  it('flags a Basic header that cannot be decoded', () => {
    expect(parseBasicAuthorization('Basic ')).toBe('malformed');
    expect(parseBasicAuthorization(basic('no-separator'))).toBe('malformed');
    expect(parseBasicAuthorization(basic(':secret-without-id'))).toBe('malformed');
    // Basic with something that is not base64 carries credentials, however garbled: not "missing".
    expect(parseBasicAuthorization('Basic !!!')).toBe('malformed');
    expect(parseBasicAuthorization('basic bWU6 c2VjcmV0')).toBe('malformed');
  });

  it('compares secrets of any length', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abcd')).toBe(false);
  });

  it('hashes tokens to hex SHA-256 and reads Bearer headers', () => {
    expect(hashToken('x')).toMatch(/^[0-9a-f]{64}$/);
    expect(bearerTokenOf('Bearer abc.def')).toBe('abc.def');
    expect(bearerTokenOf('bearer abc')).toBe('abc');
    expect(bearerTokenOf('Basic abc')).toBeNull();
    expect(bearerTokenOf(undefined)).toBeNull();
  });
});
