import { readCsvRecords, isCsvError } from './csv-records';
import { ImportErrors } from './exam-result-imports.errors';
import {
  decodeCsv,
  mapHeader,
  sniffDelimiter,
  type HeaderMapping,
  type ResultColumn,
} from './result-csv.rules';

export interface CsvInspection {
  text: string;
  encoding: string;
  delimiter: ',' | ';' | '\t';
  mapping: Extract<HeaderMapping, { ok: true }>;
  /** Header text to meaning, for the import's description. */
  columns: Record<string, ResultColumn>;
  /** Data records after the header. */
  rowsTotal: number;
}

/**
 * Reads the whole file once at upload, streaming: a file that is not CSV, has an unusable header,
 * no rows or too many is refused there and then (400/413), so the import that follows only meets
 * problems of individual rows.
 */
export async function inspectCsv(content: Buffer, maxRows: number): Promise<CsvInspection> {
  if (content.length === 0) throw ImportErrors.emptyFile();
  const { text, encoding } = decodeCsv(content);
  if (text.trim() === '') throw ImportErrors.emptyFile();
  const delimiter = sniffDelimiter(text);
  let mapping: HeaderMapping | null = null;
  let rowsTotal = 0;
  try {
    for await (const record of readCsvRecords(text, delimiter)) {
      if (mapping === null) {
        mapping = mapHeader(record.cells);
        if (!mapping.ok) throw ImportErrors.badHeader(mapping.problems);
        continue;
      }
      rowsTotal++;
      if (rowsTotal > maxRows) throw ImportErrors.tooManyRows(maxRows);
    }
  } catch (error) {
    if (isCsvError(error)) throw ImportErrors.malformed(error.lines, error.message);
    throw error;
  }
  if (mapping === null || !mapping.ok) throw ImportErrors.emptyFile();
  if (rowsTotal === 0) throw ImportErrors.noRows();
  const columns: Record<string, ResultColumn> = {};
  for (const [column, name] of Object.entries(mapping.names)) columns[name] = column as ResultColumn;
  return { text, encoding, delimiter, mapping, columns, rowsTotal };
}
