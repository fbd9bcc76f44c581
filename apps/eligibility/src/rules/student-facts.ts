import { MALI_REGIONS, mobileOperatorSchema, PROGRAMME_CODES, sexSchema, studentStatusSchema } from '@scholarpay/contracts';
import { canonicalSchoolCode, canonicalUuid } from './enrolment-values';

/**
 * The facts eligibility rules may name: the enrolment fields by their API names, minus what must
 * never decide a scholarship or leave enrolment (national id, names, phone number), plus two
 * derived facts (`hasPhone`, `ageAtIntake`). A rule value must be one a student can have: the
 * possible values of enum facts come from the student contract or, where it has only free text, from
 * what enrolment stores (`enrolment-values.ts`).
 */
export type FactType = 'text' | 'enum' | 'integer' | 'date' | 'boolean';

export type FactValue = string | number | boolean | null;

export interface FactDefinition {
  name: string;
  /** How the fact is named in an explanation ("region of origin Bamako is not one of …"). */
  label: string;
  type: FactType;
  /** The only values an enum fact can take. */
  values?: readonly string[];
  /** Whether the fact may be unknown for a student (then no comparison but `notEqual`/`notIn` holds). */
  nullable: boolean;
  /** How a value reads in words; defaults to the value itself. */
  display?: (value: FactValue) => string;
  /** For boolean facts: the sentence saying the student has (true) or has not (false) the property. */
  sentence?: (value: boolean) => string;
  /**
   * For text facts with a fixed form: the value as stored (a rule is saved with it), or null when no
   * student can have it; `form` says what the form is, for the refusal.
   */
  canonical?: { of: (value: string) => string | null; form: string };
}

export const factCatalogue: Readonly<Record<string, FactDefinition>> = Object.freeze({
  regionOfOrigin: {
    name: 'regionOfOrigin',
    label: 'region of origin',
    type: 'enum',
    values: MALI_REGIONS,
    nullable: false,
  },
  programmeOfStudy: {
    name: 'programmeOfStudy',
    label: 'programme of study',
    type: 'enum',
    values: PROGRAMME_CODES,
    nullable: false,
  },
  status: {
    name: 'status',
    label: 'status',
    type: 'enum',
    values: studentStatusSchema.options,
    nullable: false,
  },
  intakeYear: { name: 'intakeYear', label: 'intake year', type: 'integer', nullable: false },
  ageAtIntake: { name: 'ageAtIntake', label: 'age at intake', type: 'integer', nullable: false },
  dateOfBirth: { name: 'dateOfBirth', label: 'date of birth', type: 'date', nullable: false },
  sex: {
    name: 'sex',
    label: 'sex',
    type: 'enum',
    values: sexSchema.options,
    nullable: false,
    display: (value) => (value === 'F' ? 'female (F)' : value === 'M' ? 'male (M)' : String(value)),
  },
  schoolCode: {
    name: 'schoolCode',
    label: 'school code',
    type: 'text',
    nullable: false,
    canonical: {
      of: canonicalSchoolCode,
      form: 'school codes are 2 to 32 letters, digits, "-" or "_", stored upper case (e.g. "ESS-GAO")',
    },
  },
  schoolId: {
    name: 'schoolId',
    label: 'school id',
    type: 'text',
    nullable: false,
    canonical: { of: canonicalUuid, form: 'school ids are UUIDs' },
  },
  operator: {
    name: 'operator',
    label: 'mobile-money operator',
    type: 'enum',
    values: mobileOperatorSchema.options,
    nullable: true,
  },
  hasPhone: {
    name: 'hasPhone',
    label: 'phone number on record',
    type: 'boolean',
    nullable: false,
    sentence: (value) => (value ? 'has a phone number on record' : 'has no phone number on record'),
  },
});

export const knownFactNames: readonly string[] = Object.keys(factCatalogue);

export function isKnownFact(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(factCatalogue, name);
}

/** What eligibility knows of a student, in the shape the facts are computed from. */
export interface StudentFactSource {
  regionOfOrigin: string;
  programmeOfStudy: string;
  status: string;
  intakeYear: number;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  sex: string;
  schoolCode: string;
  schoolId: string;
  operator: string | null;
  hasPhone: boolean;
}

export type StudentFacts = Record<string, FactValue>;

/**
 * The fact set rules are evaluated over. Every known fact is present (null when unknown), so the
 * engine never meets an undefined fact. `ageAtIntake` is the age the student reaches during the
 * intake year: intake year minus year of birth.
 */
export function studentFacts(student: StudentFactSource): StudentFacts {
  return {
    regionOfOrigin: student.regionOfOrigin,
    programmeOfStudy: student.programmeOfStudy,
    status: student.status,
    intakeYear: student.intakeYear,
    ageAtIntake: ageAtIntake(student.intakeYear, student.dateOfBirth),
    dateOfBirth: student.dateOfBirth,
    sex: student.sex,
    schoolCode: student.schoolCode,
    schoolId: student.schoolId,
    operator: student.operator,
    hasPhone: student.hasPhone,
  };
}

export function ageAtIntake(intakeYear: number, dateOfBirth: string): number {
  return intakeYear - Number(dateOfBirth.slice(0, 4));
}

/** A value as it reads in an explanation. */
export function displayValue(definition: FactDefinition, value: FactValue | undefined): string {
  if (value === null || value === undefined) return '(not recorded)';
  return definition.display ? definition.display(value) : String(value);
}
