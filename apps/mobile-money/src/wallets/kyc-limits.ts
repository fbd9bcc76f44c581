import type { MobileMoneyConfig } from '../config/mobile-money.config';

export type KycLevel = 1 | 2 | 3;

export interface KycLimits {
  balanceCap: number;
  maxTransaction: number;
  dailyLimit: number;
}

export interface WalletLimits {
  minTransaction: number;
  byLevel: Readonly<Record<KycLevel, KycLimits>>;
}

export function walletLimitsFrom(config: MobileMoneyConfig): WalletLimits {
  return {
    minTransaction: config.MOBILE_MONEY_MIN_TRANSACTION,
    byLevel: {
      1: {
        balanceCap: config.MOBILE_MONEY_KYC1_BALANCE_CAP,
        maxTransaction: config.MOBILE_MONEY_KYC1_MAX_TRANSACTION,
        dailyLimit: config.MOBILE_MONEY_KYC1_DAILY_LIMIT,
      },
      2: {
        balanceCap: config.MOBILE_MONEY_KYC2_BALANCE_CAP,
        maxTransaction: config.MOBILE_MONEY_KYC2_MAX_TRANSACTION,
        dailyLimit: config.MOBILE_MONEY_KYC2_DAILY_LIMIT,
      },
      3: {
        balanceCap: config.MOBILE_MONEY_KYC3_BALANCE_CAP,
        maxTransaction: config.MOBILE_MONEY_KYC3_MAX_TRANSACTION,
        dailyLimit: config.MOBILE_MONEY_KYC3_DAILY_LIMIT,
      },
    },
  };
}
