import { hashPayload, newTransactionId } from './accept-cashin.use-case';
import type { CreateCashinDto } from './dto/create-cashin.dto';

const body = (overrides: Partial<CreateCashinDto> = {}): CreateCashinDto => ({
  customer: { idType: 'MSISDN', id: '+22376123456' },
  amount: { value: 25_000, unit: 'XOF' },
  reference: 'line-1',
  description: 'Bourse',
  ...overrides,
});

describe('cash-in identity', () => {
  it('makes transaction ids with the day and 20 random hex digits, never the same twice', () => {
    const id = newTransactionId(new Date('2026-03-02T10:00:00Z'));
    expect(id).toMatch(/^CI260302\.[0-9A-F]{20}$/);
    const many = new Set(Array.from({ length: 10_000 }, () => newTransactionId()));
    expect(many.size).toBe(10_000);
  });

  it('hashes what makes a payment: payee, amount, reference, description', () => {
    const base = hashPayload(body());
    expect(hashPayload(body())).toBe(base);
    expect(hashPayload(body({ amount: { value: 25_001, unit: 'XOF' } }))).not.toBe(base);
    expect(hashPayload(body({ customer: { idType: 'MSISDN', id: '+22376123457' } }))).not.toBe(base);
    expect(hashPayload(body({ reference: 'line-2' }))).not.toBe(base);
    expect(hashPayload(body({ description: undefined }))).not.toBe(base);
  });
});
