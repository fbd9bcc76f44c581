import { defineServiceConfig, intFromEnv } from '@scholarpay/platform';
import { z } from 'zod';

export const enrolmentConfigSchema = defineServiceConfig({
  PORT: intFromEnv(3001, { min: 0, max: 65535 }),
  /** Largest CSV upload accepted, in bytes (20 MiB). */
  IMPORT_MAX_BYTES: intFromEnv(20 * 1024 * 1024, { min: 1024, max: 1024 * 1024 * 1024 }),
  /** Rows applied per database transaction during an import. */
  IMPORT_CHUNK_ROWS: intFromEnv(500, { min: 1, max: 5000 }),
  /** Imports processed at the same time by one instance. */
  IMPORT_CONCURRENCY: intFromEnv(1, { min: 1, max: 16 }),
  /** Key prefix of the BullMQ queue in Redis (lets several deployments share one Redis). */
  IMPORT_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, dots, hyphens or underscores')
    .default('bull'),
});

export type EnrolmentConfig = z.infer<typeof enrolmentConfigSchema>;
