import { z } from 'zod';

/** Whole West African CFA francs: XOF has no minor unit, so amounts are safe integers, never floats. */
export const xofAmountSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const yearMonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM');
export const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
export const e164PhoneSchema = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number');
export const timestampSchema = z.iso.datetime({ offset: true });

export const studentStatusSchema = z.enum(['enrolled', 'suspended', 'withdrawn', 'graduated']);
export type StudentStatus = z.infer<typeof studentStatusSchema>;

export const mobileOperatorSchema = z.enum(['orange', 'moov']);
export type MobileOperator = z.infer<typeof mobileOperatorSchema>;

export const sexSchema = z.enum(['F', 'M']);
