import { z } from 'zod';
import { isoDateSchema } from './common.schemas';

export const examResultRecordedSchema = z.object({
  resultId: z.uuid(),
  sessionId: z.uuid(),
  sessionCode: z.string().min(1),
  examDate: isoDateSchema,
  studentId: z.uuid(),
  passed: z.boolean(),
  score: z.number().nullable(),
  /** 1 for the first entry, growing with each correction. */
  revision: z.number().int().positive(),
  recordedBy: z.string().min(1),
});
