import { isUuid } from './uuid';

describe('isUuid', () => {
  it('accepts a UUID in either case and nothing else', () => {
    expect(isUuid('7d3f1a52-8a43-4f4e-9d0b-3c6f0b7c2a11')).toBe(true);
    expect(isUuid('7D3F1A52-8A43-4F4E-9D0B-3C6F0B7C2A11')).toBe(true);
    expect(isUuid('0123456789abcdef0123456789abcdef0123')).toBe(false);
    expect(isUuid(' 7d3f1a52-8a43-4f4e-9d0b-3c6f0b7c2a11')).toBe(false);
    expect(isUuid(42)).toBe(false);
  });
});
