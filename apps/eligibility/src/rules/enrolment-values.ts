/**
 * The values enrolment stores (and publishes in student events) for a student's region of origin,
 * programme of study and school code: enrolment maps whatever a school types ("MENAKA", "Soins
 * infirmiers", "ess-gao") onto these before it stores a student, so a rule naming anything else can
 * never match and would only revoke awards. The student contract (`studentSnapshotSchema` in
 * libs/contracts) carries them as free text, so there is no shared list to import: these mirror
 * enrolment's `students/regions.ts`, `students/programmes.ts` and `schools/school.rules.ts`, and
 * belong in libs/contracts once the contract names them. A value enrolment adds before this list
 * has it is refused in a rule with a 400, never silently unmatched.
 */
export const maliRegions = [
  'Bamako',
  'Kayes',
  'Koulikoro',
  'Sikasso',
  'Ségou',
  'Mopti',
  'Tombouctou',
  'Gao',
  'Kidal',
  'Taoudénit',
  'Ménaka',
  'Nioro',
  'Kita',
  'Dioïla',
  'Nara',
  'Bougouni',
  'Koutiala',
  'San',
  'Douentza',
  'Bandiagara',
] as const;

/** Enrolment's programme-of-study codes (`other` covers programmes not yet listed). */
export const programmesOfStudy = [
  'nursing',
  'midwifery',
  'obstetric-nursing',
  'public-health',
  'community-health',
  'medical-laboratory',
  'pharmacy',
  'physiotherapy',
  'medical-imaging',
  'anaesthesia',
  'dental-care',
  'other',
] as const;

/** A school code as enrolment stores it: upper case, 2 to 32 letters, digits, "-" or "_". */
const schoolCodePattern = /^[A-Z0-9][A-Z0-9_-]{1,31}$/;

/** The school code enrolment would store for `value` (it upper-cases what schools type), or null. */
export function canonicalSchoolCode(value: string): string | null {
  const code = value.trim().toUpperCase();
  return schoolCodePattern.test(code) ? code : null;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A UUID as Postgres writes it (lower case), or null. */
export function canonicalUuid(value: string): string | null {
  const id = value.trim().toLowerCase();
  return uuidPattern.test(id) ? id : null;
}
