import { MALI_REGIONS, PROGRAMME_CODES } from '@scholarpay/contracts';
import type { MaliRegion, MobileOperator, ProgrammeOfStudy } from '@scholarpay/contracts';
import { parseMaliPhone } from '@scholarpay/phone';
import { foldForComparison, tidyText } from '../common/text';
import { canonicalProgramme } from './programmes';
import { canonicalRegion } from './regions';

/**
 * The rules for each field of a student, shared by the HTTP API and the CSV import so that a value
 * accepted one way is accepted the other. Each rule turns raw input into the stored value or says
 * what is wrong with it, in words a school administrator understands. No I/O here.
 */
export type RuleResult<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): RuleResult<T> => ({ ok: true, value });
const fail = <T>(problem: string): RuleResult<T> => ({ ok: false, problem });

export type Sex = 'F' | 'M';

/** Youngest age at enrolment, in whole years. */
export const MINIMUM_AGE_AT_ENROLMENT = 15;
/** Earliest intake year a record may carry (older cohorts are not in any programme). */
export const EARLIEST_INTAKE_YEAR = 2000;

const NAME_MAX_LENGTH = 100;
/** Letters of any script, combining marks, spaces, apostrophes (straight and typographic), hyphens and dots. */
const namePattern = /^[\p{L}\p{M}][\p{L}\p{M} '’.-]*$/u;
const nationalIdPattern = /^[A-Z0-9][A-Z0-9/.-]{2,31}$/;

/**
 * National identity number (NINA or the school's own id): case and spaces do not matter, so
 * "ml 0001" and "ML0001" are the same person.
 */
export function nationalIdRule(raw: string): RuleResult<string> {
  const value = raw.replace(/\s+/g, '').toUpperCase();
  if (!value) return fail('is required');
  if (!nationalIdPattern.test(value)) {
    return fail('must be 3 to 32 letters or digits (hyphens, dots and slashes allowed inside)');
  }
  return ok(value);
}

/** First or last name in full Unicode: "Aïssata", "N'Diaye", "Ould Mohamed". */
export function nameRule(raw: string): RuleResult<string> {
  const value = tidyText(raw);
  if (!value) return fail('is required');
  if ([...value].length > NAME_MAX_LENGTH) return fail(`must be at most ${NAME_MAX_LENGTH} characters`);
  if (!namePattern.test(value)) {
    return fail(
      'may contain only letters, spaces, apostrophes, hyphens and dots, and must start with a letter',
    );
  }
  return ok(value);
}

const lenientSex: Record<string, Sex> = {
  f: 'F',
  m: 'M',
  female: 'F',
  male: 'M',
  feminin: 'F',
  masculin: 'M',
  femme: 'F',
  homme: 'M',
  fille: 'F',
  garcon: 'M',
};

/** F or M. The API takes exactly "F" or "M"; a CSV may also say "féminin", "Homme", "female"... */
export function sexRule(raw: string, { lenient = false } = {}): RuleResult<Sex> {
  const trimmed = raw.trim();
  if (trimmed === 'F' || trimmed === 'M') return ok(trimmed);
  if (lenient) {
    const known = lenientSex[foldForComparison(trimmed)];
    if (known) return ok(known);
  }
  if (!trimmed) return fail('is required');
  return fail(lenient ? 'must be F or M (or féminin / masculin)' : 'must be F or M');
}

/** Today as YYYY-MM-DD in UTC, the calendar the dates here are compared in. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * A real calendar date (2001-02-31 is not one), not in the future and not before 1900. The API takes
 * YYYY-MM-DD; a CSV may also use DD/MM/YYYY or DD-MM-YYYY, as French spreadsheets write dates.
 */
export function dateOfBirthRule(
  raw: string,
  { lenient = false, today = new Date() } = {},
): RuleResult<string> {
  const trimmed = raw.trim();
  if (!trimmed) return fail('is required');
  let year: number;
  let month: number;
  let day: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  const french = lenient ? /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(trimmed) : null;
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else if (french) {
    [day, month, year] = [Number(french[1]), Number(french[2]), Number(french[3])];
  } else {
    return fail(lenient ? 'must be a date as YYYY-MM-DD or DD/MM/YYYY' : 'must be a date as YYYY-MM-DD');
  }
  const value = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (!isRealDate(year, month, day)) return fail(`${value} is not a real date`);
  if (year < 1900) return fail('must be in 1900 or later');
  if (value > isoDay(today)) return fail('is in the future');
  return ok(value);
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

export function regionRule(raw: string): RuleResult<MaliRegion> {
  if (!raw.trim()) return fail('is required');
  const region = canonicalRegion(raw);
  return region ? ok(region) : fail(`is not a region of Mali; use one of: ${MALI_REGIONS.join(', ')}`);
}

export function programmeRule(raw: string): RuleResult<ProgrammeOfStudy> {
  if (!raw.trim()) return fail('is required');
  const programme = canonicalProgramme(raw);
  return programme
    ? ok(programme)
    : fail(`is not a known programme; use one of: ${PROGRAMME_CODES.join(', ')}`);
}

/** Intake years from 2000 to next year (schools enrol ahead of the October start). */
export function intakeYearRule(value: number, { today = new Date() } = {}): RuleResult<number> {
  const latest = today.getUTCFullYear() + 1;
  if (!Number.isInteger(value)) return fail('must be a whole year');
  if (value < EARLIEST_INTAKE_YEAR || value > latest)
    return fail(`must be between ${EARLIEST_INTAKE_YEAR} and ${latest}`);
  return ok(value);
}

export function intakeYearFromText(raw: string, options: { today?: Date } = {}): RuleResult<number> {
  const trimmed = raw.trim();
  if (!trimmed) return fail('is required');
  if (!/^\d{4}$/.test(trimmed)) return fail('must be a year such as 2014');
  return intakeYearRule(Number(trimmed), options);
}

export interface ParsedPhone {
  e164: string;
  inferredOperator: MobileOperator | null;
}

/** Read as Malian when it has no country code ("76 12 34 56" is +22376123456); a Malian mobile number only. */
export function phoneRule(raw: string): RuleResult<ParsedPhone> {
  const parsed = parseMaliPhone(raw);
  if (!parsed.ok) return fail(parsed.problem);
  return ok({ e164: parsed.e164, inferredOperator: parsed.operator });
}

const lenientOperators: Record<string, MobileOperator> = {
  orange: 'orange',
  'orange mali': 'orange',
  'orange money': 'orange',
  om: 'orange',
  moov: 'moov',
  'moov africa': 'moov',
  'moov africa malitel': 'moov',
  'moov money': 'moov',
  malitel: 'moov',
  mobicash: 'moov',
};

/** The API takes "orange" or "moov"; a CSV may also say "Orange Money", "Malitel", "Moov Africa"... */
export function operatorRule(raw: string, { lenient = false } = {}): RuleResult<MobileOperator> {
  const trimmed = raw.trim();
  if (trimmed === 'orange' || trimmed === 'moov') return ok(trimmed);
  if (lenient) {
    const known = lenientOperators[foldForComparison(trimmed)];
    if (known) return ok(known);
  }
  return fail('must be orange or moov');
}

/**
 * The student must be at least 15 at enrolment, taken as the start of the academic year of intake
 * (1 October, when Malian health schools start their year).
 */
export function ageAtEnrolmentProblem(dateOfBirth: string, intakeYear: number): string | null {
  const [year, month, day] = dateOfBirth.split('-').map(Number);
  let age = intakeYear - year;
  if (month > 10 || (month === 10 && day > 1)) age -= 1;
  if (age < MINIMUM_AGE_AT_ENROLMENT) {
    return `makes the student ${Math.max(age, 0)} at the start of the ${intakeYear} intake (1 October); the minimum age is ${MINIMUM_AGE_AT_ENROLMENT}`;
  }
  return null;
}

/**
 * The stored phone and operator after a change. An operator given explicitly wins (numbers move
 * between operators); otherwise a new number gets the operator its prefix says, and an unchanged
 * number keeps the operator it had (which may have been set by hand).
 */
export function resolveOperator(input: {
  phone: string | null;
  inferred: MobileOperator | null;
  explicit: MobileOperator | null | undefined;
  previousPhone: string | null;
  previousOperator: MobileOperator | null;
}): MobileOperator | null {
  if (input.phone === null) return null;
  if (input.explicit !== undefined && input.explicit !== null) return input.explicit;
  if (input.explicit === null) return input.inferred;
  if (input.phone === input.previousPhone) return input.previousOperator;
  return input.inferred;
}
