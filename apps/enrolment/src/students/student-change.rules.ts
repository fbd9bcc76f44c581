import type { RuleResult } from './student-fields.rules';
import type { StudentChanges, StudentFields } from './student.record';

/**
 * Fields whose change moves money or identity: the number stipends are paid to, who the student
 * is, and which school answers for them. Changing one needs a reason, kept in the change history.
 */
export const FIELDS_NEEDING_A_REASON: readonly (keyof StudentFields)[] = [
  'phone',
  'nationalId',
  'schoolCode',
];

/** The fields among these changes that need a reason, in the order above. */
export function fieldsNeedingAReason(changes: StudentChanges): (keyof StudentFields)[] {
  return FIELDS_NEEDING_A_REASON.filter((field) => changes[field] !== undefined);
}

/** Why a record is corrected: when given, 1 to 500 characters of text (blank is not a reason). */
export function changeReasonRule(raw: string): RuleResult<string> {
  const value = raw.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (!value) return { ok: false, problem: 'must not be blank: say why the record changes' };
  if ([...value].length > 500) return { ok: false, problem: 'must be at most 500 characters' };
  return { ok: true, value };
}
