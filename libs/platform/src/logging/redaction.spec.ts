import { maskSensitiveText, redactSensitiveFields } from './redaction';

describe('maskSensitiveText', () => {
  it('masks Malian numbers in any common spelling', () => {
    expect(maskSensitiveText('GET /accountholders/+22376123456/active')).toBe(
      'GET /accountholders/[PHONE]/active',
    );
    expect(maskSensitiveText('to=%2B22376123456')).toBe('to=[PHONE]');
    expect(maskSensitiveText('call 76 12 34 56 now')).toBe('call [PHONE] now');
    expect(maskSensitiveText('00223 76-12-34-56')).toBe('[PHONE]');
  });

  it('masks numbers URL-encoded with spaces in a path or a query string', () => {
    expect(maskSensitiveText('GET /api/v1/students?q=%2B223%2076%2012%2034%2056')).toBe('GET /api/v1/students?q=[PHONE]');
    expect(maskSensitiveText('GET /api/v1/students?q=76+12+34+56&limit=5')).toBe('GET /api/v1/students?q=[PHONE]&limit=5');
    expect(maskSensitiveText('GET /accountholders/%2B223%2076%2099%2088%2077/active')).toBe('GET /accountholders/[PHONE]/active');
    expect(maskSensitiveText('GET /sms/outbound?to=%2B223+70+99+00+18')).toBe('GET /sms/outbound?to=[PHONE]');
  });

  it('masks credentials and national ids written as key=value, and passwords in connection URLs', () => {
    expect(maskSensitiveText('POST /oauth/token?client_secret=s3cret&grant_type=client_credentials')).toBe(
      'POST /oauth/token?client_secret=[REDACTED]&grant_type=client_credentials',
    );
    expect(maskSensitiveText('GET /x?access_token=abc.def&nationalId=ML0001')).toBe('GET /x?access_token=[REDACTED]&nationalId=[REDACTED]');
    expect(maskSensitiveText('connect postgres://app:hunter2@db:5432/scholarpay')).toBe('connect postgres://app:[REDACTED]@db:5432/scholarpay');
  });

  it('masks bearer tokens and JWTs', () => {
    expect(maskSensitiveText('Authorization: Bearer abc.def-ghi')).toBe('Authorization: Bearer [REDACTED]');
    expect(maskSensitiveText('authorization: bearer abc.def-ghi')).toBe('authorization: bearer [REDACTED]');
    expect(maskSensitiveText('token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.sig')).toBe('token [REDACTED]');
  });

  it('leaves uuids, years and amounts alone', () => {
    const text = 'batch 7d3f1a52-8a43-4f4e-9d0b-3c6f0b7c2a11 paid 25000 XOF in 2015';
    expect(maskSensitiveText(text)).toBe(text);
  });

  it('leaves alone a uuid whose segments hold a long run of digits', () => {
    // "61-4837-4012" inside it reads like a phone number spelled with dashes.
    const path = 'GET /api/v1/payout-batches/26282e61-4837-4012-9d0b-7022450ba480 11ms';
    expect(maskSensitiveText(path)).toBe(path);
    expect(maskSensitiveText('line 12345678-1234-4234-8234-123456789012 to +22376123456')).toBe(
      'line 12345678-1234-4234-8234-123456789012 to [PHONE]',
    );
    // Only a whole UUID is spared: a number that merely starts like one is still masked.
    expect(maskSensitiveText('call 76123456-12 now')).toBe('call [PHONE] now');
  });
});

describe('redactSensitiveFields', () => {
  it('redacts sensitive keys at any depth and in any case, inside arrays and class instances', () => {
    class Student {
      constructor(
        readonly name: string,
        readonly phone: string,
      ) {}
    }
    const input = {
      batch: { lines: [{ payee: { contact: { MSISDN: '+22376123456' } } }] },
      student: new Student('Aminata', '+22376123456'),
      headers: { Authorization: 'Bearer abc' },
      amount: 25000,
    };
    const output = redactSensitiveFields(input);
    expect(JSON.stringify(output)).not.toMatch(/22376123456|Bearer/);
    expect(output.batch.lines[0].payee.contact.MSISDN).toBe('[REDACTED]');
    expect(output.student).toEqual({ name: 'Aminata', phone: '[REDACTED]' });
    expect(output.amount).toBe(25000);
    expect(input.student.phone).toBe('+22376123456');
  });

  it('returns the same object when nothing is sensitive, and leaves errors and dates alone', () => {
    const error = new Error('boom');
    const input = { service: 'payments', at: new Date(0), error, nested: { count: 3, empty: null } };
    expect(redactSensitiveFields(input)).toBe(input);
  });

  it('stops at a cycle instead of looping', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(() =>
      JSON.stringify(redactSensitiveFields(cyclic), (key, value) =>
        key === 'self' && typeof value === 'object' ? '[obj]' : value,
      ),
    ).not.toThrow();
  });
});
