import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { MobileOperator } from '@scholarpay/contracts';

export type PhoneParseResult =
  | { ok: true; e164: string; nationalNumber: string; operator: MobileOperator | null }
  | { ok: false; problem: string };

/**
 * Parses a phone number as a Malian school writes it: with or without +223 / 00223, with spaces,
 * dots or dashes. A number without a country code is read as Malian. Only mobile numbers are
 * accepted, since stipends go to mobile-money wallets.
 */
export function parseMaliPhone(input: string): PhoneParseResult {
  const trimmed = input.trim();
  if (!trimmed) return { ok: false, problem: 'is empty' };
  const normalised = trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed;
  const parsed = parsePhoneNumberFromString(normalised, 'ML');
  if (!parsed || !parsed.isValid()) return { ok: false, problem: `"${maskForMessage(trimmed)}" is not a valid phone number` };
  const type = parsed.getType();
  if (parsed.country === 'ML' && type !== undefined && type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') {
    return { ok: false, problem: 'is not a mobile number (a mobile-money wallet needs one)' };
  }
  const e164 = parsed.number;
  return { ok: true, e164, nationalNumber: parsed.nationalNumber, operator: inferMaliOperator(e164) };
}

const MALI_E164 = /^\+223(\d{8})$/;

/**
 * Whether a number (E.164, as `parseMaliPhone` gives it) is Malian. A student may give a foreign
 * number as a contact, but a Malian mobile-money provider credits Malian wallets only.
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
