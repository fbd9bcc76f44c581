/**
 * The values enrolment stores, and publishes in student events, for a student's region of origin
 * and programme of study. Enrolment maps what schools type ("MENAKA", "Soins infirmiers") onto
 * these; eligibility's rules may name only these, since any other value could never match.
 */

/**
 * Mali's regions and the Bamako district, by the names the administration uses. The ten regions of
 * the 2012 law (Tombouctou, Gao, Kidal, Taoudénit and Ménaka among them) plus the regions created
 * in 2023 (Nioro, Kita, Dioïla, Nara, Bougouni, Koutiala, San, Douentza, Bandiagara).
 */
export const MALI_REGIONS = [
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
export type MaliRegion = (typeof MALI_REGIONS)[number];

/** Programmes of study of Mali's health schools (écoles de santé); `other` covers programmes not (yet) listed. */
export const PROGRAMME_CODES = [
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
export type ProgrammeOfStudy = (typeof PROGRAMME_CODES)[number];
