import { defineServiceConfig, intFromEnv } from '@scholarpay/platform';
import { z } from 'zod';

export const eligibilityConfigSchema = defineServiceConfig({
  PORT: intFromEnv(3002, { min: 0, max: 65535 }),
  /** Students decided per transaction when a programme's rules change. */
  REEVALUATION_CHUNK_SIZE: intFromEnv(1000, { min: 1, max: 10000 }),
  /** Re-evaluation jobs one process runs at once (different programmes). */
  REEVALUATION_CONCURRENCY: intFromEnv(2, { min: 1, max: 16 }),
  /** Attempts before a failing re-evaluation job is given up (each resumes where the last stopped). */
  REEVALUATION_ATTEMPTS: intFromEnv(10, { min: 1, max: 100 }),
  /** How long a worker's claim on a job lasts without renewal: after a crash, the job is taken over after about this long. */
  REEVALUATION_LOCK_MS: intFromEnv(30000, { min: 1000, max: 600000 }),
  /** Namespace of the BullMQ keys in Redis (several deployments or test runs can share one Redis). */
  BULLMQ_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/, 'must be 1 to 64 letters, digits, ":", "_" or "-"')
    .default('bull'),
});

export type EligibilityConfig = z.infer<typeof eligibilityConfigSchema>;
