import { z } from 'zod';
import { timestampSchema, xofAmountSchema, yearMonthSchema } from './common.schemas';

export const programmeSnapshotSchema = z.object({
  programmeId: z.uuid(),
  version: z.number().int().positive(),
  code: z.string().min(1),
  name: z.string().min(1),
  monthlyStipend: xofAmountSchema,
  firstMonth: yearMonthSchema,
  lastMonth: yearMonthSchema,
  budget: xofAmountSchema,
  maxAwards: z.number().int().positive().nullable(),
});
export type ProgrammeSnapshot = z.infer<typeof programmeSnapshotSchema>;

export const programmeDefinedSchema = z.object({ programme: programmeSnapshotSchema });

export const ruleOutcomeSchema = z.object({
  rule: z.string().min(1),
  passed: z.boolean(),
  explanation: z.string().min(1),
});

export const eligibilityDecidedSchema = z.object({
  decisionId: z.uuid(),
  programmeId: z.uuid(),
  programmeCode: z.string().min(1),
  studentId: z.uuid(),
  eligible: z.boolean(),
  overridden: z.boolean(),
  outcomes: z.array(ruleOutcomeSchema),
  decidedAt: timestampSchema,
});

export const awardStatusSchema = z.enum(['active', 'suspended', 'revoked']);
export type AwardStatus = z.infer<typeof awardStatusSchema>;

/** The award after the change; `version` orders changes to one award. */
export const awardSnapshotSchema = z.object({
  awardId: z.uuid(),
  version: z.number().int().positive(),
  programmeId: z.uuid(),
  programmeCode: z.string().min(1),
  studentId: z.uuid(),
  monthlyStipend: xofAmountSchema,
  firstMonth: yearMonthSchema,
  lastMonth: yearMonthSchema,
  status: awardStatusSchema,
  awardedAt: timestampSchema,
  /**
   * A revoked award's month of revocation (UTC), which eligibility keeps committed; absent on other
   * awards and on events published before it existed. Payments pays that month when the student
   * holds an active award in the programme from the month after (the revocation undone within it).
   */
  revokedInMonth: yearMonthSchema.optional(),
});
export type AwardSnapshot = z.infer<typeof awardSnapshotSchema>;

export const awardChangedSchema = z.object({
  award: awardSnapshotSchema,
  reason: z.string().min(1),
  changedBy: z.string().min(1),
});
