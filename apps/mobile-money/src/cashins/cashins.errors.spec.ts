import { parseCallbackUrl, parseReferenceId } from './cashins.errors';

describe('cash-in headers', () => {
  it('accepts a UUID reference in any case and lower-cases it', () => {
    expect(parseReferenceId('8C1D2B7E-1F2A-4C3B-9D8E-7F6A5B4C3D2E')).toEqual({
      ok: true,
      value: '8c1d2b7e-1f2a-4c3b-9d8e-7f6a5b4c3d2e',
    });
  });

  it.each([undefined, '', 'line-42', '8c1d2b7e1f2a4c3b9d8e7f6a5b4c3d2e'])(
    'refuses the reference %p',
    (value) => {
      expect(parseReferenceId(value).ok).toBe(false);
    },
  );

  it('accepts an absent or http(s) callback URL', () => {
    expect(parseCallbackUrl(undefined)).toEqual({ ok: true, value: null });
    expect(parseCallbackUrl('http://127.0.0.1:4000/callbacks/mm')).toEqual({
      ok: true,
      value: 'http://127.0.0.1:4000/callbacks/mm',
    });
  });

  it.each([
    '',
    'not a url',
    'ftp://example.org/x',
    'https://user:pw@example.org/x',
    `https://e.org/${'x'.repeat(2048)}`,
  ])('refuses the callback URL %p', (value) => {
    expect(parseCallbackUrl(value).ok).toBe(false);
  });
});
