import type { RuleResult } from './student-fields.rules';

/** Why a status changed: required, 1 to 500 characters. */
export function reasonRule(raw: string): RuleResult<string> {
  const value = raw.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (!value) return { ok: false, problem: 'is required: say why the status changes' };
  if ([...value].length > 500) return { ok: false, problem: 'must be at most 500 characters' };
  return { ok: true, value };
}
