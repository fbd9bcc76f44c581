import { booleanFromEnv, defineServiceConfig, intFromEnv } from '@scholarpay/platform';
import { z } from 'zod';

const ms = (defaultValue: number, min = 0, max = 24 * 3600 * 1000) => intFromEnv(defaultValue, { min, max });

/** The payments service's configuration, validated once at boot (see README for each variable). */
export const paymentsConfigSchema = defineServiceConfig({
  PORT: intFromEnv(3003, { min: 0, max: 65535 }),
  MOBILE_MONEY_BASE_URL: z.url('must be the provider API base URL, e.g. http://127.0.0.1:3005').default('http://127.0.0.1:3005'),
  MOBILE_MONEY_CLIENT_ID: z.string().min(1, 'is required (the merchant client id issued by the provider)'),
  MOBILE_MONEY_CLIENT_SECRET: z.string().min(8, 'is required and must be at least 8 characters'),
  MOBILE_MONEY_CALLBACK_SECRET: z.string().min(8, 'is required and must be at least 8 characters (callback HMAC key)'),
  PAYMENTS_PUBLIC_URL: z.url('must be the URL the provider reaches this service at').optional(),
  PAYMENTS_PROVIDER_TIMEOUT_MS: ms(10000, 100, 120000),
  PAYMENTS_PROVIDER_RATE_PER_SECOND: intFromEnv(50, { min: 0, max: 1_000_000 }),
  PAYMENTS_DISBURSEMENT_CONCURRENCY: intFromEnv(32, { min: 1, max: 2048 }),
  PAYMENTS_DISBURSEMENT_GROUP_SIZE: intFromEnv(25, { min: 1, max: 500 }),
  PAYMENTS_DISBURSEMENT_WORKER: booleanFromEnv(true),
  PAYMENTS_STATUS_CHECK_AFTER_MS: ms(60000, 100),
  PAYMENTS_UNKNOWN_RECHECK_MS: ms(2000, 10),
  PAYMENTS_MAX_RECHECK_DELAY_MS: ms(300000, 100),
  PAYMENTS_RESEND_DELAY_MS: ms(60000, 0),
  PAYMENTS_POLL_INTERVAL_MS: ms(10000, 100),
  PAYMENTS_SEND_GRACE_MS: ms(300000, 1000),
  PAYMENTS_JOB_LOCK_MS: ms(30000, 1000),
  PAYMENTS_CALLBACK_TOLERANCE_SECONDS: intFromEnv(300, { min: 1, max: 3600 }),
  PAYMENTS_DB_POOL_SIZE: intFromEnv(20, { min: 2, max: 100 }),
});

export type PaymentsConfig = Readonly<z.infer<typeof paymentsConfigSchema>>;
