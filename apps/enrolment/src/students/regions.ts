import { foldForComparison } from '../common/text';

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
