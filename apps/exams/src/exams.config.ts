import { defineServiceConfig, intFromEnv } from '@scholarpay/platform';
import { z } from 'zod';

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const examsConfigSchema = defineServiceConfig({
  PORT: intFromEnv(3004, { min: 0, max: 65535 }),
  /** Time zone of exam days: a payout counts as before the exam if completed before 00:00 local time that day. */
  EXAMS_TIME_ZONE: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone such as Africa/Bamako')
    .default('Africa/Bamako'),
  /** Largest results CSV accepted, in bytes. */
  EXAMS_IMPORT_MAX_BYTES: intFromEnv(10 * 1024 * 1024, { min: 1024, max: 200 * 1024 * 1024 }),
  /** Most data rows one results CSV may hold. */
  EXAMS_IMPORT_MAX_ROWS: intFromEnv(100_000, { min: 1, max: 5_000_000 }),
  /** Rows written per database transaction while importing (progress is committed with each batch). */
  EXAMS_IMPORT_BATCH_ROWS: intFromEnv(250, { min: 1, max: 5000 }),
  /** Imports processed at once by one instance. */
  EXAMS_IMPORT_CONCURRENCY: intFromEnv(1, { min: 1, max: 16 }),
  /** Prefix of the BullMQ keys in Redis. */
  EXAMS_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/, 'must be letters, digits, ":", "_" or "-"')
    .default('exams'),
});

export type ExamsConfig = z.infer<typeof examsConfigSchema>;
