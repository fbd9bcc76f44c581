import { z } from 'zod';
import { timestampSchema, xofAmountSchema, yearMonthSchema } from './common.schemas';

export const batchSummarySchema = z.object({
  paidCount: z.number().int().nonnegative(),
  failedCount: z.number().int().nonnegative(),
  paidAmount: xofAmountSchema,
  failedAmount: xofAmountSchema,
});

export const batchChangedSchema = z.object({
  batchId: z.uuid(),
  programmeId: z.uuid(),
  month: yearMonthSchema,
  lineCount: z.number().int().nonnegative(),
  totalAmount: xofAmountSchema,
  actor: z.string().min(1),
  reason: z.string().min(1).optional(),
  summary: batchSummarySchema.optional(),
});

const payoutBaseSchema = z.object({
  payoutId: z.uuid(),
  batchId: z.uuid(),
  programmeId: z.uuid(),
  awardId: z.uuid(),
  studentId: z.uuid(),
  month: yearMonthSchema,
  amount: xofAmountSchema,
  currency: z.literal('XOF'),
  completedAt: timestampSchema,
});

export const payoutSucceededSchema = payoutBaseSchema.extend({ providerTransactionId: z.string().min(1) });
export const payoutFailedSchema = payoutBaseSchema.extend({
  reasonCode: z.string().min(1),
  reason: z.string().min(1),
});
