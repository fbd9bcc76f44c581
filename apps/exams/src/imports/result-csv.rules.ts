import { isUuid } from '@scholarpay/platform';

/**
 * Reading a results CSV as evaluators produce them: exported from Excel or LibreOffice in English
 * or French, comma- or semicolon-separated, UTF-8 with or without BOM (or Windows-1252 / UTF-16
 * when Excel chose), CRLF or LF. Pure functions: the import use case streams records through them.
 */

/** What a column of the file means. */
export type ResultColumn = 'studentId' | 'nationalId' | 'result' | 'score';

/** Header names (normalised: lower case, no accents, separators as `_`) and their meaning. */
const HEADER_ALIASES: Readonly<Record<string, ResultColumn>> = {
  student_id: 'studentId',
  studentid: 'studentId',
  student: 'studentId',
  id_etudiant: 'studentId',
  etudiant_id: 'studentId',
  identifiant_etudiant: 'studentId',
  national_id: 'nationalId',
  nationalid: 'nationalId',
  nina: 'nationalId',
  numero_nina: 'nationalId',
  no_nina: 'nationalId',
  n_nina: 'nationalId',
  numero_national: 'nationalId',
  identifiant_national: 'nationalId',
  result: 'result',
  resultat: 'result',
  outcome: 'result',
  decision: 'result',
  score: 'score',
  note: 'score',
  mark: 'score',
};

const PASS_WORDS = new Set([
  'pass',
  'passed',
  'p',
  'admis',
  'admise',
  'reussi',
  'reussie',
  '1',
  'true',
  'yes',
  'oui',
]);
const FAIL_WORDS = new Set([
  'fail',
  'failed',
  'f',
  'ajourne',
  'ajournee',
  'echoue',
  'echouee',
  'echec',
  'refuse',
  'refusee',
  '0',
  'false',
  'no',
  'non',
]);


export const ACCEPTED_RESULT_VALUES = 'pass/fail, admis/ajourné, réussi/échoué, 1/0';

/** Lower case, accents removed, runs of spaces, dots, dashes and slashes as one `_`. */
export function normaliseWord(text: string): string {
  return text
    .replace(/^\ufeff/, '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s.\-/°]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export interface ColumnProblem {
  readonly field: string;
  readonly problem: string;
}

export type HeaderMapping =
  | {
      readonly ok: true;
      /** Meaning of each column by position (null: ignored). */
      readonly columns: readonly (ResultColumn | null)[];
      /** Header text of each meaningful column, for error messages that name the column as the file does. */
      readonly names: Readonly<Partial<Record<ResultColumn, string>>>;
      readonly ignored: readonly string[];
    }
  | { readonly ok: false; readonly problems: readonly ColumnProblem[] };

export function mapHeader(header: readonly string[]): HeaderMapping {
  const problems: ColumnProblem[] = [];
  const names: Partial<Record<ResultColumn, string>> = {};
  const ignored: string[] = [];
  const columns = header.map((raw, index): ResultColumn | null => {
    const text = raw.replace(/^\ufeff/, '').trim();
    const meaning = HEADER_ALIASES[normaliseWord(text)] ?? null;
    if (meaning === null) {
      if (text !== '') ignored.push(text);
      return null;
    }
    if (names[meaning] !== undefined) {
      problems.push({
        field: `header[${index}]`,
        problem: `column "${text}" means the same as column "${names[meaning]}"; keep only one`,
      });
      return null;
    }
    names[meaning] = text;
    return meaning;
  });
  if (names.result === undefined) {
    problems.push({
      field: 'header',
      problem: 'the file needs a result column (result, résultat, outcome or décision)',
    });
  }
  if (names.studentId === undefined && names.nationalId === undefined) {
    problems.push({
      field: 'header',
      problem:
        'the file needs a student_id column or a national_id (NINA) column to say whose result each row is',
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, columns, names, ignored };
}

/** true for a pass, false for a fail, null for anything else. */
export function parseOutcome(value: string): boolean | null {
  const word = normaliseWord(value);
  if (PASS_WORDS.has(word)) return true;
  if (FAIL_WORDS.has(word)) return false;
  return null;
}

/** A score cell: empty (no score), "12.5" or the French "12,5". Range is checked against the session. */
export function parseScoreCell(
  value: string,
): { ok: true; score: number | null } | { ok: false; problem: string } {
  const text = value.trim().replace(/\s/g, '');
  if (text === '') return { ok: true, score: null };
  if (!/^\d{1,3}([.,]\d+)?$/.test(text))
    return { ok: false, problem: 'must be a number such as 12.5 or 12,5' };
  return { ok: true, score: Number(text.replace(',', '.')) };
}

/** The separator of the header line: whichever of `,` `;` or tab appears most outside quotes. */
export function sniffDelimiter(text: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const character of text) {
    if (character === '"') quoted = !quoted;
    else if (!quoted && (character === '\n' || character === '\r')) break;
    else if (!quoted && character in counts) counts[character as keyof typeof counts]++;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[',']) return '\t';
  return ',';
}

/** Text of the file, whatever its encoding (Excel picks UTF-16 or Windows-1252 depending on the menu). */
export function decodeCsv(content: Buffer): {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'windows-1252';
} {
  if (content.length >= 2 && content[0] === 0xff && content[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(content.subarray(2)), encoding: 'utf-16le' };
  }
  const body =
    content.length >= 3 && content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf
      ? content.subarray(3)
      : content;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(body), encoding: 'windows-1252' };
  }
}

/** One data record of the file, validated. */
export interface ResultRecord {
  readonly studentId: string | null;
  /** As written in the file; normalised at look-up. */
  readonly nationalId: string | null;
  readonly passed: boolean;
  readonly score: number | null;
}

export interface RecordProblem {
  readonly field: string;
  readonly code: string;
  readonly problem: string;
}

export type RecordParse =
  | { readonly ok: true; readonly record: ResultRecord }
  | { readonly ok: false; readonly problems: readonly RecordProblem[] };

/** True for a record whose cells are all blank (a trailing ";;;" line): skipped, not an error. */
export function isBlankRecord(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}

/** Checks the cells of one record; the score's range is checked later, against the session's scale. */
export function parseResultRecord(
  cells: readonly string[],
  mapping: Extract<HeaderMapping, { ok: true }>,
): RecordParse {
  const problems: RecordProblem[] = [];
  const cell = (column: ResultColumn): string | null => {
    const index = mapping.columns.indexOf(column);
    return index < 0 ? null : (cells[index] ?? '').trim();
  };
  const field = (column: ResultColumn) => mapping.names[column] ?? column;
  if (
    cells.length > mapping.columns.length &&
    cells.slice(mapping.columns.length).some((extra) => extra.trim() !== '')
  ) {
    problems.push({
      field: 'row',
      code: 'IMPORT.TOO_MANY_CELLS',
      problem: `has ${cells.length} cells but the header has ${mapping.columns.length} columns`,
    });
  }

  const studentId = cell('studentId') || null;
  const nationalId = cell('nationalId') || null;
  if (studentId === null && nationalId === null) {
    const which = [mapping.names.studentId, mapping.names.nationalId].filter(Boolean).join(' or ');
    problems.push({
      field: which || 'student',
      code: 'IMPORT.STUDENT_MISSING',
      problem: 'is empty: say whose result this is',
    });
  }
  if (studentId !== null && !isUuid(studentId)) {
    problems.push({
      field: field('studentId'),
      code: 'IMPORT.STUDENT_ID_INVALID',
      problem: 'must be a student id (a UUID)',
    });
  }
  if (nationalId !== null && !/^[\p{L}\p{N}][\p{L}\p{N}\s.\-_/]{0,63}$/u.test(nationalId)) {
    problems.push({
      field: field('nationalId'),
      code: 'IMPORT.NATIONAL_ID_INVALID',
      problem: 'is not a national id (letters and digits)',
    });
  }

  const outcomeText = cell('result') ?? '';
  const passed = parseOutcome(outcomeText);
  if (outcomeText === '') {
    problems.push({
      field: field('result'),
      code: 'IMPORT.RESULT_MISSING',
      problem: `is empty; use ${ACCEPTED_RESULT_VALUES}`,
    });
  } else if (passed === null) {
    problems.push({
      field: field('result'),
      code: 'IMPORT.RESULT_INVALID',
      problem: `"${outcomeText.slice(0, 40)}" is not a result; use ${ACCEPTED_RESULT_VALUES}`,
    });
  }

  let score: number | null = null;
  const scoreText = cell('score');
  if (scoreText !== null) {
    const parsed = parseScoreCell(scoreText);
    if (parsed.ok) score = parsed.score;
    else problems.push({ field: field('score'), code: 'IMPORT.SCORE_INVALID', problem: parsed.problem });
  }

  if (problems.length > 0 || passed === null) return { ok: false, problems };
  return { ok: true, record: { studentId: studentId?.toLowerCase() ?? null, nationalId, passed, score } };
}
