/**
 * Text as people type it into forms and spreadsheets. `foldForComparison` makes "Ségou",
 * "SEGOU" and " segou " equal, and is what name search and header matching compare on.
 */
export function foldForComparison(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Trims, collapses inner whitespace and puts the text in Unicode NFC (one code point for "ï"). */
export function tidyText(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}
