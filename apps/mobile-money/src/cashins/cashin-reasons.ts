export type CashinReasonCode =
  | 'PAYEE_NOT_FOUND'
  | 'PAYEE_BLOCKED'
  | 'MERCHANT_INSUFFICIENT_FUNDS'
  | 'PAYEE_BALANCE_CAP'
  | 'DAILY_LIMIT'
  | 'AMOUNT_OUT_OF_BOUNDS';

/** The words that go with each reason code in a Transaction's `reason`. */
export const cashinReasonText: Readonly<Record<CashinReasonCode, string>> = {
  PAYEE_NOT_FOUND: 'the payee has no mobile-money account',
  PAYEE_BLOCKED: 'the payee account is blocked',
  MERCHANT_INSUFFICIENT_FUNDS: 'the merchant float is insufficient for this amount',
  PAYEE_BALANCE_CAP: 'the credit would take the payee over the balance cap of their KYC level',
  DAILY_LIMIT: 'the credit would take the payee over the daily limit of their KYC level',
  AMOUNT_OUT_OF_BOUNDS: 'the amount is outside the per-transaction limits of the payee KYC level',
};
