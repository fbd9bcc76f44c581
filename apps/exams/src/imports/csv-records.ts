import { parse, type CsvError } from 'csv-parse';
import { Readable } from 'node:stream';

const CHUNK = 64 * 1024;

export interface CsvRecord {
  /** Line of the file where the record ends (the header is line 1). */
  readonly line: number;
  readonly cells: string[];
}

/**
 * Streams the records of a CSV text through csv-parse, in chunks, so memory stays flat whatever the
 * number of rows. Line ends (CRLF, LF, CR) are detected; empty lines are skipped; rows may have more
 * or fewer cells than the header (the caller reports it per row); quotes inside unquoted fields are
 * taken literally. A quote that is never closed makes the rest of the file unreadable: csv-parse
 * throws a CsvError naming the line.
 */
export async function* readCsvRecords(text: string, delimiter: string): AsyncGenerator<CsvRecord> {
  const source = Readable.from(chunks(text), { objectMode: false });
  const parser = source.pipe(
    parse({
      delimiter,
      bom: true,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: false,
    }),
  );
  try {
    for await (const { info, record } of parser as AsyncIterable<{
      info: { lines: number };
      record: string[];
    }>) {
      yield { line: info.lines, cells: record };
    }
  } finally {
    source.destroy();
    parser.destroy();
  }
}

function* chunks(text: string): Generator<string> {
  for (let start = 0; start < text.length; start += CHUNK) yield text.slice(start, start + CHUNK);
}

export function isCsvError(error: unknown): error is CsvError & { lines?: number } {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('CSV_');
}
