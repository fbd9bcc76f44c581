import { RuleResult } from '../students/student-fields.rules';

const codePattern = /^[A-Z0-9][A-Z0-9_-]{1,31}$/;

/** School codes are upper case ("ESS-GAO"); a CSV may write them in any case. */
export function schoolCodeRule(raw: string): RuleResult<string> {
  const value = raw.trim().toUpperCase();
  if (!value) return { ok: false, problem: 'is required' };
  if (!codePattern.test(value))
    return { ok: false, problem: 'must be 2 to 32 letters, digits, hyphens or underscores' };
  return { ok: true, value };
}

/** A school's name or city: printable text of 1 to 200 characters. */
export function labelRule(raw: string): RuleResult<string> {
  const value = raw.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (!value) return { ok: false, problem: 'is required' };
  if ([...value].length > 200) return { ok: false, problem: 'must be at most 200 characters' };
  if (/[\p{Cc}\p{Cf}]/u.test(value)) return { ok: false, problem: 'must not contain control characters' };
  return { ok: true, value };
}
