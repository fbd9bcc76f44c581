import type { WalletLimits } from '../wallets/kyc-limits';
import { decideCashin, WalletState } from './cashin.rules';

const limits: WalletLimits = {
  minTransaction: 100,
  byLevel: {
    1: { balanceCap: 200_000, maxTransaction: 100_000, dailyLimit: 150_000 },
    2: { balanceCap: 2_000_000, maxTransaction: 500_000, dailyLimit: 1_000_000 },
    3: { balanceCap: 10_000_000, maxTransaction: 2_000_000, dailyLimit: 5_000_000 },
  },
};
const wallet = (overrides: Partial<WalletState> = {}): WalletState => ({
  kycLevel: 1,
  blocked: false,
  balance: 0,
  dailyCreditDate: null,
  dailyCreditTotal: 0,
  ...overrides,
});
const facts = { amount: 25_000, floatHeld: true, today: '2026-03-02' };

describe('decideCashin', () => {
  it('credits the wallet and counts the day', () => {
    expect(decideCashin(wallet({ balance: 1000 }), facts, limits)).toEqual({
      status: 'SUCCESS',
      wallet: wallet({ balance: 26_000, dailyCreditDate: '2026-03-02', dailyCreditTotal: 25_000 }),
    });
  });

  it('restarts the daily count on a new day', () => {
    const outcome = decideCashin(
      wallet({ dailyCreditDate: '2026-03-01', dailyCreditTotal: 150_000 }),
      facts,
      limits,
    );
    expect(outcome).toMatchObject({ status: 'SUCCESS', wallet: { dailyCreditTotal: 25_000 } });
  });

  it('fails an unknown payee', () => {
    expect(decideCashin(null, facts, limits)).toEqual({ status: 'FAILED', reasonCode: 'PAYEE_NOT_FOUND' });
  });

  it('fails a blocked payee, before any other check', () => {
    expect(
      decideCashin(wallet({ blocked: true }), { ...facts, amount: 1, floatHeld: false }, limits),
    ).toEqual({
      status: 'FAILED',
      reasonCode: 'PAYEE_BLOCKED',
    });
  });

  it.each([99, 100_001])('fails %i XOF at KYC 1 as out of bounds', (amount) => {
    expect(decideCashin(wallet(), { ...facts, amount }, limits)).toEqual({
      status: 'FAILED',
      reasonCode: 'AMOUNT_OUT_OF_BOUNDS',
    });
  });

  it('accepts the bounds themselves', () => {
    expect(decideCashin(wallet(), { ...facts, amount: 100 }, limits).status).toBe('SUCCESS');
    expect(decideCashin(wallet(), { ...facts, amount: 100_000 }, limits).status).toBe('SUCCESS');
  });

  it('uses the limits of the payee level', () => {
    expect(decideCashin(wallet({ kycLevel: 2 }), { ...facts, amount: 400_000 }, limits).status).toBe(
      'SUCCESS',
    );
  });

  it('fails when no float was reserved', () => {
    expect(decideCashin(wallet(), { ...facts, floatHeld: false }, limits)).toEqual({
      status: 'FAILED',
      reasonCode: 'MERCHANT_INSUFFICIENT_FUNDS',
    });
  });

  it('fails above the daily limit, at exactly the limit it passes', () => {
    const today = { dailyCreditDate: '2026-03-02' };
    expect(decideCashin(wallet({ ...today, dailyCreditTotal: 125_001 }), facts, limits)).toEqual({
      status: 'FAILED',
      reasonCode: 'DAILY_LIMIT',
    });
    expect(decideCashin(wallet({ ...today, dailyCreditTotal: 125_000 }), facts, limits).status).toBe(
      'SUCCESS',
    );
  });

  it('fails above the balance cap, at exactly the cap it passes', () => {
    expect(decideCashin(wallet({ balance: 175_001 }), facts, limits)).toEqual({
      status: 'FAILED',
      reasonCode: 'PAYEE_BALANCE_CAP',
    });
    expect(decideCashin(wallet({ balance: 175_000 }), facts, limits).status).toBe('SUCCESS');
  });
});
