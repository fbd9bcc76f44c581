import { parse, CsvError } from 'csv-parse';
import type { Delimiter } from './csv-header';
import { CsvEncoding, CsvTextDecoder } from './csv-text-decoder';

/** One record of the file (header included), or a stretch of the file the parser could not read. */
export type CsvItem =
  { kind: 'record'; line: number; fields: string[] } | { kind: 'broken'; line: number; message: string };

/** A field larger than this is not a student's data; it is a quote that never closes. */
const MAX_RECORD_CHARS = 64 * 1024;

interface ParseFailure {
  /** Records the parser had emitted before it failed. */
  afterRecords: number;
  line: number;
  message: string;
  /** The parser cannot find its way back (an unclosed quote): nothing after this is readable. */
  fatal: boolean;
}

/**
 * Streams a staged CSV file into records with the line each starts on (1 = the first line of the
 * file, as a text editor or spreadsheet numbers it). csv-parse does the parsing; records whose
 * fields are all blank are skipped, and a stretch the parser cannot read (an unclosed quote) is
 * reported in its place instead of failing the import. Memory stays bounded: one piece of the file
 * and at most one record of 64 KiB at a time.
 */
export async function* readCsvRecords(
  chunks: AsyncIterable<Buffer>,
  options: { encoding: CsvEncoding; delimiter: Delimiter },
): AsyncGenerator<CsvItem> {
  const parser = parse({
    delimiter: options.delimiter,
    info: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  const failures: ParseFailure[] = [];
  let stopped = false;
  parser.on('skip', (error: CsvError & { lines?: number; records?: number }) => {
    if (failures.some((failure) => failure.fatal)) return;
    const fatal = error.code === 'CSV_QUOTE_NOT_CLOSED' || error.code === 'CSV_MAX_RECORD_SIZE';
    failures.push({
      afterRecords: error.records ?? 0,
      line: error.lines ?? 0,
      message: describeParseError(error, fatal),
      fatal,
    });
  });
  let feedError: unknown = null;
  const closed = new Promise<void>((resolve) => parser.once('close', () => resolve()));
  const feeding = (async () => {
    const decoder = new CsvTextDecoder(options.encoding);
    try {
      for await (const chunk of chunks) {
        if (stopped || parser.destroyed) return;
        const text = decoder.write(chunk);
        if (text && !parser.write(text)) {
          await Promise.race([new Promise<void>((resolve) => parser.once('drain', () => resolve())), closed]);
        }
      }
      if (stopped || parser.destroyed) return;
      const rest = decoder.end();
      if (rest) parser.write(rest);
      parser.end();
    } catch (error) {
      feedError = error;
      parser.destroy();
    }
  })();

  let lastEndLine = 0;
  const failuresBefore = function* (records: number): Generator<CsvItem> {
    while (failures.length && failures[0].afterRecords < records) {
      const failure = failures.shift()!;
      yield {
        kind: 'broken',
        line: failure.fatal ? lastEndLine + 1 : failure.line,
        message: failure.message,
      };
      if (failure.fatal) {
        stopped = true;
        return;
      }
    }
  };
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number; records: number };
    }>) {
      yield* failuresBefore(info.records);
      if (stopped) break;
      const innerBreaks = record.reduce((count, field) => count + countLineBreaks(field), 0);
      const line = info.lines - innerBreaks;
      lastEndLine = info.lines;
      if (!record.some((field) => /\S/.test(field))) continue;
      yield { kind: 'record', line, fields: record };
    }
    if (!stopped) yield* failuresBefore(Number.MAX_SAFE_INTEGER);
  } finally {
    stopped = true;
    if (!parser.destroyed) parser.destroy();
    await feeding;
  }
  if (feedError) throw feedError;
}

function countLineBreaks(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) count += 1;
  return count;
}

function describeParseError(error: CsvError & { lines?: number }, fatal: boolean): string {
  if (fatal)
    return 'a quoted field opened on this row is never closed, so this row and the rest of the file could not be read';
  return `this row could not be read as CSV: ${error.message.replace(/ at line \d+.*$/, '')}`;
}
