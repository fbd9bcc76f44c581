import { z } from 'zod';
import {
  e164PhoneSchema,
  isoDateSchema,
  mobileOperatorSchema,
  sexSchema,
  studentStatusSchema,
  timestampSchema,
} from './common.schemas';

/**
 * The full student as enrolment knows it after the change. `version` grows by one with every
 * change, so a consumer can ignore an older snapshot that arrives after a newer one.
 */
export const studentSnapshotSchema = z.object({
  studentId: z.uuid(),
  version: z.number().int().positive(),
  nationalId: z.string().min(1),
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  sex: sexSchema,
  dateOfBirth: isoDateSchema,
  regionOfOrigin: z.string().min(1),
  schoolId: z.uuid(),
  schoolCode: z.string().min(1),
  programmeOfStudy: z.string().min(1),
  intakeYear: z.number().int(),
  phone: e164PhoneSchema.nullable(),
  operator: mobileOperatorSchema.nullable(),
  status: studentStatusSchema,
  enrolledAt: timestampSchema,
});
export type StudentSnapshot = z.infer<typeof studentSnapshotSchema>;

export const studentRegisteredSchema = z.object({ student: studentSnapshotSchema });

export const studentUpdatedSchema = z.object({
  student: studentSnapshotSchema,
  /** Field name (API name) to its value before and after. */
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
  changedBy: z.string().min(1),
  /** Why, when the editor said (always for a phone, national id or school change by the API). */
  reason: z.string().min(1).optional(),
});

export const studentStatusChangedSchema = z.object({
  student: studentSnapshotSchema,
  from: studentStatusSchema,
  to: studentStatusSchema,
  reason: z.string().min(1),
  changedBy: z.string().min(1),
});
