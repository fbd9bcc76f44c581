import { PROGRAMME_CODES, ProgrammeOfStudy } from '@scholarpay/contracts';
import { foldForComparison } from '../common/text';

/**
 * The names schools write for each programme of study (`PROGRAMME_CODES`, the stored value), French
 * or English, in any case, with or without accents.
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
} as const satisfies Record<ProgrammeOfStudy, readonly string[]>;

const byFoldedName = new Map<string, ProgrammeOfStudy>();
for (const code of PROGRAMME_CODES) {
  byFoldedName.set(foldForComparison(code), code);
  for (const name of PROGRAMMES_OF_STUDY[code]) byFoldedName.set(foldForComparison(name), code);
}

/** The programme code for "Soins infirmiers", "NURSING", "sage-femme"..., or null. */
export function canonicalProgramme(input: string): ProgrammeOfStudy | null {
  return byFoldedName.get(foldForComparison(input)) ?? null;
}
