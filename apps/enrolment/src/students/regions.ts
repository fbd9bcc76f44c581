import { MALI_REGIONS, MaliRegion } from '@scholarpay/contracts';
import { foldForComparison } from '../common/text';

/** Other spellings seen in school files, folded (no accents, lower case). */
const aliases: Record<string, MaliRegion> = {
  'district de bamako': 'Bamako',
  'bamako district': 'Bamako',
  'district of bamako': 'Bamako',
  timbuktu: 'Tombouctou',
  'tombouctou region': 'Tombouctou',
  taoudeni: 'Taoudénit',
  taoudenni: 'Taoudénit',
  'nioro du sahel': 'Nioro',
};

const byFoldedName = new Map<string, MaliRegion>([
  ...MALI_REGIONS.map((region) => [foldForComparison(region), region] as const),
  ...Object.entries(aliases),
]);

/** The canonical region for what a person typed ("TOMBOUCTOU", "Menaka", "district de Bamako"), or null. */
export function canonicalRegion(input: string): MaliRegion | null {
  const folded = foldForComparison(input).replace(/^region (de |of )?/, '');
  return byFoldedName.get(folded) ?? null;
}
