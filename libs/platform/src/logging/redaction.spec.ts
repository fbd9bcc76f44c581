import { maskSensitiveText } from './redaction';

describe('maskSensitiveText', () => {
  it('masks Malian numbers in any common spelling', () => {
    expect(maskSensitiveText('GET /accountholders/+22376123456/active')).toBe('GET /accountholders/[PHONE]/active');
    expect(maskSensitiveText('to=%2B22376123456')).toBe('to=[PHONE]');
    expect(maskSensitiveText('call 76 12 34 56 now')).toBe('call [PHONE] now');
    expect(maskSensitiveText('00223 76-12-34-56')).toBe('[PHONE]');
  });

  it('masks bearer tokens and JWTs', () => {
    expect(maskSensitiveText('Authorization: Bearer abc.def-ghi')).toBe('Authorization: Bearer [REDACTED]');
    expect(maskSensitiveText('token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.sig')).toBe('token [REDACTED]');
  });

  it('leaves uuids, years and amounts alone', () => {
    const text = 'batch 7d3f1a52-8a43-4f4e-9d0b-3c6f0b7c2a11 paid 25000 XOF in 2015';
    expect(maskSensitiveText(text)).toBe(text);
  });
});
