import { booleanFromEnv, defineServiceConfig, intFromEnv } from '@scholarpay/platform';
import { z } from 'zod';
import { faultConfigFromEnv } from '../faults/fault-config.schema';

const xof = (defaultValue: number) => intFromEnv(defaultValue, { min: 1, max: Number.MAX_SAFE_INTEGER });

/**
 * The mock provider's configuration, validated once at boot. Defaults follow BCEAO-style wallet
 * tiers: KYC 1 (number only), KYC 2 (identified), KYC 3 (fully verified).
 */
export const mobileMoneyConfigSchema = defineServiceConfig({
  PORT: intFromEnv(3005, { min: 0, max: 65535 }),
  MOBILE_MONEY_CLIENT_ID: z
    .string()
    .min(1, 'is required (the merchant client id payments authenticates with)'),
  MOBILE_MONEY_CLIENT_SECRET: z.string().min(8, 'is required and must be at least 8 characters'),
  MOBILE_MONEY_CALLBACK_SECRET: z
    .string()
    .min(8, 'is required and must be at least 8 characters (callback HMAC key)'),
  MOBILE_MONEY_TOKEN_TTL_SECONDS: intFromEnv(3600, { min: 1, max: 30 * 86400 }),
  MOBILE_MONEY_DUPLICATE_MODE: z.enum(['conflict', 'replay']).default('conflict'),
  MOBILE_MONEY_AUTO_CREATE_SUBSCRIBERS: booleanFromEnv(true),
  MOBILE_MONEY_AUTO_CREATE_KYC_LEVEL: intFromEnv(2, { min: 1, max: 3 }),
  MOBILE_MONEY_INITIAL_FLOAT: intFromEnv(1_000_000_000, { min: 0, max: Number.MAX_SAFE_INTEGER }),
  MOBILE_MONEY_MIN_TRANSACTION: xof(100),
  MOBILE_MONEY_KYC1_BALANCE_CAP: xof(200_000),
  MOBILE_MONEY_KYC1_MAX_TRANSACTION: xof(100_000),
  MOBILE_MONEY_KYC1_DAILY_LIMIT: xof(200_000),
  MOBILE_MONEY_KYC2_BALANCE_CAP: xof(2_000_000),
  MOBILE_MONEY_KYC2_MAX_TRANSACTION: xof(500_000),
  MOBILE_MONEY_KYC2_DAILY_LIMIT: xof(1_000_000),
  MOBILE_MONEY_KYC3_BALANCE_CAP: xof(10_000_000),
  MOBILE_MONEY_KYC3_MAX_TRANSACTION: xof(2_000_000),
  MOBILE_MONEY_KYC3_DAILY_LIMIT: xof(5_000_000),
  MOBILE_MONEY_PROCESSING_DELAY_MS: intFromEnv(50, { min: 0, max: 86_400_000 }),
  MOBILE_MONEY_CALLBACK_MAX_ATTEMPTS: intFromEnv(5, { min: 1, max: 50 }),
  MOBILE_MONEY_CALLBACK_BACKOFF_MS: intFromEnv(1000, { min: 1, max: 3_600_000 }),
  MOBILE_MONEY_CALLBACK_TIMEOUT_MS: intFromEnv(5000, { min: 100, max: 120_000 }),
  MOBILE_MONEY_FAULTS: faultConfigFromEnv,
  MOBILE_MONEY_FAULT_SEED: intFromEnv(1, { min: 0, max: 0xffffffff }),
  MOBILE_MONEY_DB_POOL_SIZE: intFromEnv(16, { min: 2, max: 100 }),
});

export type MobileMoneyConfig = Readonly<z.infer<typeof mobileMoneyConfigSchema>>;

/** Injection token of the typed configuration. */
export const MOBILE_MONEY_CONFIG = Symbol('MOBILE_MONEY_CONFIG');
