import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { MobileOperator } from '@scholarpay/contracts';

export type PhoneParseResult =
  | { ok: true; e164: string; nationalNumber: string; operator: MobileOperator | null }
  | { ok: false; problem: string };

/**
 * Parses a phone number as a Malian school writes it: with or without +223 / 00223, with spaces,
 * dots, dashes or brackets. A number without a country code is read as Malian. Only Malian mobile
 * numbers are accepted: the number is where the stipend goes, and the mobile-money provider credits
 * Malian wallets only. A problem shows at most the number's last two digits.
 */
export function parseMaliPhone(input: string): PhoneParseResult {
  const trimmed = input.trim();
  if (!trimmed) return { ok: false, problem: 'is empty' };
  const normalised = trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed;
  // libphonenumber reads a number out of surrounding text and sets an extension aside; either
  // would store something other than what was written, so both are refused.
  const parsed = parsePhoneNumberFromString(normalised, 'ML');
  if (parsed?.ext) return { ok: false, problem: 'must not have an extension: a mobile-money wallet number has none' };
  if (!PHONE_CHARACTERS.test(trimmed))
    return { ok: false, problem: 'may contain only digits, spaces, dots, dashes, brackets and +' };
  if (!parsed || !parsed.isValid()) return { ok: false, problem: `"${maskForMessage(trimmed)}" is not a valid phone number` };
  const e164 = parsed.number;
  if (!isMaliNumber(e164)) return { ok: false, problem: NOT_MALIAN };
  const type = parsed.getType();
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') {
    return { ok: false, problem: 'is not a mobile number (a mobile-money wallet needs one)' };
  }
  return { ok: true, e164, nationalNumber: parsed.nationalNumber, operator: inferMaliOperator(e164) };
}

const PHONE_CHARACTERS = /^[\d\s().+-]+$/;
const NOT_MALIAN =
  'must be a Malian mobile number (+223 and eight digits): stipends are paid to Malian mobile-money wallets';

const MALI_E164 = /^\+223(\d{8})$/;

/**
 * Whether a number in E.164 is Malian. parseMaliPhone accepts no other, but numbers stored before it
 * refused foreign ones may still be around (payments re-checks before paying).
 */
export function isMaliNumber(e164: string): boolean {
  return MALI_E164.test(e164);
}

/**
 * The operator from Mali's numbering plan, where it is known: Orange Mali 7x, 82–85, 90–94;
 * Moov Africa Malitel 6x, 89, 95–99. Numbers move between operators (portability), so a value
 * set explicitly by an administrator wins over this guess.
 */
export function inferMaliOperator(e164: string): MobileOperator | null {
  const match = MALI_E164.exec(e164);
  if (!match) return null;
  const prefix = Number(match[1].slice(0, 2));
  if ((prefix >= 70 && prefix <= 79) || (prefix >= 82 && prefix <= 85) || (prefix >= 90 && prefix <= 94)) return 'orange';
  if ((prefix >= 60 && prefix <= 69) || prefix === 89 || (prefix >= 95 && prefix <= 99)) return 'moov';
  return null;
}

/** A number as it may appear in an error message shown to the caller (never in logs): last two digits only. */
export function maskForMessage(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length <= 2 ? '**' : `${'*'.repeat(Math.max(0, digits.length - 2))}${digits.slice(-2)}`;
}
