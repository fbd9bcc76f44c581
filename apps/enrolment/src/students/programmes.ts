import { foldForComparison } from '../common/text';

/**
 * Programmes of study of Mali's health schools (écoles de santé). The stored value is the code on
 * the left; schools may write the French or English name, in any case, with or without accents.
 * `other` covers programmes not (yet) listed.
 */
export const PROGRAMMES_OF_STUDY = {
  nursing: [
    'nursing',
    'nurse',
    'soins infirmiers',
    'infirmier',
    'infirmiere',
    'infirmier d etat',
    'sciences infirmieres',
    'ide',
  ],
  midwifery: ['midwifery', 'midwife', 'sage femme', 'sages femmes', 'maieutique', 'obstetrique'],
  'obstetric-nursing': [
    'obstetric nursing',
    'obstetric nurse',
    'infirmier obstetricien',
    'infirmiere obstetricienne',
    'infirmiere obstetricale',
  ],
  'public-health': ['public health', 'sante publique'],
  'community-health': ['community health', 'sante communautaire', 'agent de sante communautaire'],
  'medical-laboratory': [
    'medical laboratory',
    'laboratory',
    'laboratoire',
    'technicien de laboratoire',
    'biologie medicale',
    'analyses biomedicales',
  ],
  pharmacy: ['pharmacy', 'pharmacie', 'preparateur en pharmacie'],
  physiotherapy: ['physiotherapy', 'kinesitherapie', 'kinesitherapeute'],
  'medical-imaging': ['medical imaging', 'radiology', 'radiologie', 'imagerie medicale'],
  anaesthesia: ['anaesthesia', 'anesthesia', 'anesthesie', 'anesthesie reanimation'],
  'dental-care': ['dental care', 'dentistry', 'odontologie', 'soins dentaires'],
  other: ['other', 'autre'],
} as const;

export type ProgrammeOfStudy = keyof typeof PROGRAMMES_OF_STUDY;

export const PROGRAMME_CODES = Object.keys(PROGRAMMES_OF_STUDY) as ProgrammeOfStudy[];

const byFoldedName = new Map<string, ProgrammeOfStudy>();
for (const code of PROGRAMME_CODES) {
  byFoldedName.set(foldForComparison(code), code);
  for (const name of PROGRAMMES_OF_STUDY[code]) byFoldedName.set(foldForComparison(name), code);
}

/** The programme code for "Soins infirmiers", "NURSING", "sage-femme"..., or null. */
export function canonicalProgramme(input: string): ProgrammeOfStudy | null {
  return byFoldedName.get(foldForComparison(input)) ?? null;
}
