import { isUuid } from '@scholarpay/platform';

/**
 * What a rule value must be to ever match a student: regions and programmes of study are
 * `MALI_REGIONS` and `PROGRAMME_CODES` (libs/contracts, the values enrolment stores); school codes
 * and ids are compared in the form enrolment stores them.
 */
/** A school code as enrolment stores it: upper case, 2 to 32 letters, digits, "-" or "_". */
const schoolCodePattern = /^[A-Z0-9][A-Z0-9_-]{1,31}$/;

/** The school code enrolment would store for `value` (it upper-cases what schools type), or null. */
export function canonicalSchoolCode(value: string): string | null {
  const code = value.trim().toUpperCase();
  return schoolCodePattern.test(code) ? code : null;
}


/** A UUID as Postgres writes it (lower case), or null. */
export function canonicalUuid(value: string): string | null {
  const id = value.trim().toLowerCase();
  return isUuid(id) ? id : null;
}
