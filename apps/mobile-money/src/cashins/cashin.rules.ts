import type { KycLevel, WalletLimits } from '../wallets/kyc-limits';
import type { CashinReasonCode } from './cashin-reasons';

/** A payee wallet as the completion step sees it (locked in the database). */
export interface WalletState {
  kycLevel: KycLevel;
  blocked: boolean;
  balance: number;
  /** The UTC day `dailyCreditTotal` counts, as YYYY-MM-DD, or null if never credited. */
  dailyCreditDate: string | null;
  dailyCreditTotal: number;
}

export interface CashinFacts {
  amount: number;
  /** Whether float was reserved for this cash-in when it was accepted. */
  floatHeld: boolean;
  /** The UTC day of completion, YYYY-MM-DD. */
  today: string;
}

export type CashinOutcome =
  { status: 'SUCCESS'; wallet: WalletState } | { status: 'FAILED'; reasonCode: CashinReasonCode };

/**
 * Decides how a pending cash-in ends. The checks run in this order, the first that fails wins:
 * the payee exists, is not blocked, the amount is within the per-transaction bounds of the payee's
 * KYC level, the merchant float was reserved, the day's credits stay under the daily limit, the
 * balance stays under the cap. On success it returns the wallet after the credit.
 */
export function decideCashin(
  wallet: WalletState | null,
  facts: CashinFacts,
  limits: WalletLimits,
): CashinOutcome {
  if (!wallet) return { status: 'FAILED', reasonCode: 'PAYEE_NOT_FOUND' };
  if (wallet.blocked) return { status: 'FAILED', reasonCode: 'PAYEE_BLOCKED' };
  const level = limits.byLevel[wallet.kycLevel];
  if (facts.amount < limits.minTransaction || facts.amount > level.maxTransaction) {
    return { status: 'FAILED', reasonCode: 'AMOUNT_OUT_OF_BOUNDS' };
  }
  if (!facts.floatHeld) return { status: 'FAILED', reasonCode: 'MERCHANT_INSUFFICIENT_FUNDS' };
  const creditedToday = wallet.dailyCreditDate === facts.today ? wallet.dailyCreditTotal : 0;
  if (creditedToday + facts.amount > level.dailyLimit) return { status: 'FAILED', reasonCode: 'DAILY_LIMIT' };
  if (wallet.balance + facts.amount > level.balanceCap)
    return { status: 'FAILED', reasonCode: 'PAYEE_BALANCE_CAP' };
  return {
    status: 'SUCCESS',
    wallet: {
      ...wallet,
      balance: wallet.balance + facts.amount,
      dailyCreditDate: facts.today,
      dailyCreditTotal: creditedToday + facts.amount,
    },
  };
}
