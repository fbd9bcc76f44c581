import { isUtf8 } from 'node:buffer';
import { createHash, Hash } from 'node:crypto';
import { analyseHeaderLine, HeaderProblem, RecognisedHeader } from './csv-header';
import { CsvRecordCounter } from './csv-record-counter';
import { CsvEncoding, CsvTextDecoder } from './csv-text-decoder';

/** Why an upload is refused before anything is applied. */
export type UploadProblem =
  | { kind: 'too_large'; message: string }
  | { kind: 'not_csv'; message: string }
  | { kind: 'not_text'; message: string }
  | { kind: 'header'; message: string; header: HeaderProblem }
  | { kind: 'empty'; message: string };

export class UploadRejectedError extends Error {
  constructor(readonly problem: UploadProblem) {
    super(problem.message);
    this.name = 'UploadRejectedError';
  }
}

export interface InspectedUpload {
  byteSize: number;
  sha256: string;
  encoding: CsvEncoding;
  header: RecognisedHeader;
  /** Data rows (records after the header). */
  totalRows: number;
}

/** A header line longer than this is not a header. */
const MAX_HEADER_CHARS = 64 * 1024;

const signatures: { bytes: number[]; what: string }[] = [
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    what: 'a zip archive or an Excel workbook (.xlsx); export the sheet as "CSV UTF-8" and upload that',
  },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0],
    what: 'an old Excel workbook (.xls); export the sheet as "CSV UTF-8" and upload that',
  },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document; upload the spreadsheet as CSV instead' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive; upload the CSV file itself' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
];

/**
 * Looks at an upload piece by piece while it streams into storage, holding at most the header line:
 * counts bytes against the limit, hashes, tells a binary file or a workbook from CSV, settles the
 * encoding (UTF-8, or Windows-1252 as older Excel versions save "CSV" — never guessed once
 * non-ASCII UTF-8 has been seen), reads the header and counts the rows. Any problem throws
 * UploadRejectedError, and the caller discards what it stored.
 */
export class CsvUploadInspector {
  private bytes = 0;
  private readonly hash: Hash = createHash('sha256');
  private encoding: CsvEncoding = 'utf-8';
  private decoder = new CsvTextDecoder('utf-8', { fatal: true });
  private sawNonAsciiText = false;
  /** Trailing bytes of a possibly unfinished UTF-8 character the decoder holds back. */
  private carry: Buffer = Buffer.alloc(0);
  private headerText = '';
  private header: RecognisedHeader | null = null;
  private counter: CsvRecordCounter | null = null;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.bytes === 0) this.checkSignature(chunk);
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      throw new UploadRejectedError({
        kind: 'too_large',
        message: `the file is over the ${describeBytes(this.maxBytes)} limit`,
      });
    }
    if (chunk.includes(0)) {
      throw new UploadRejectedError({
        kind: 'not_csv',
        message: 'the file is binary (it contains NUL bytes), not CSV text',
      });
    }
    this.hash.update(chunk);
    this.accept(this.decode(chunk));
  }

  finish(): InspectedUpload {
    if (this.bytes === 0) throw new UploadRejectedError({ kind: 'empty', message: 'the file is empty' });
    this.accept(this.endDecoding(), true);
    if (!this.header || !this.counter)
      throw new UploadRejectedError({ kind: 'empty', message: 'the file has no header line' });
    return {
      byteSize: this.bytes,
      sha256: this.hash.digest('hex'),
      encoding: this.encoding,
      header: this.header,
      totalRows: Math.max(0, this.counter.total() - 1),
    };
  }

  private decode(chunk: Buffer): string {
    if (this.bytes === chunk.length && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf)
      this.sawNonAsciiText = true;
    try {
      const text = this.decoder.write(chunk);
      if (!this.sawNonAsciiText) {
        if (/[\u0080-\uffff]/.test(text)) this.sawNonAsciiText = true;
        else {
          const tail = trailingHighBytes(chunk);
          this.carry =
            tail.length === chunk.length ? trailingHighBytes(Buffer.concat([this.carry, chunk])) : tail;
        }
      }
      return text;
    } catch {
      return this.afterUtf8Failure(Buffer.concat([this.carry, chunk]), false);
    }
  }

  private endDecoding(): string {
    try {
      return this.decoder.end();
    } catch {
      // A file that ends inside a multi-byte character: the bytes held back are the unfinished one.
      return this.afterUtf8Failure(this.carry, true);
    }
  }

  /**
   * Strict UTF-8 decoding failed. `pending` holds every byte not yet decoded as UTF-8 (while the
   * text so far was ASCII: the bytes held back plus the new piece). If nothing but ASCII came before
   * the bad byte, the file is Windows-1252 from the start: switch for the whole file. If UTF-8
   * characters came before it, in an earlier piece or in this one (a file under one piece), the
   * file mixes encodings and either reading would garble some names: refuse it.
   */
  private afterUtf8Failure(pending: Buffer, atEnd: boolean): string {
    const found = this.encoding === 'utf-8' && !this.sawNonAsciiText ? firstUtf8Error(pending) : null;
    if (found && !found.afterMultiByte) {
      this.encoding = 'windows-1252';
      this.decoder = new CsvTextDecoder('windows-1252');
      this.sawNonAsciiText = true;
      const text = this.decoder.write(pending);
      return atEnd ? text + this.decoder.end() : text;
    }
    if (found) {
      const offset = this.bytes - pending.length + found.offset;
      throw new UploadRejectedError({
        kind: 'not_text',
        message: `the file is UTF-8 in places and not in others: byte ${offset + 1} is not UTF-8 although text before it is; save it as "CSV UTF-8"`,
      });
    }
    throw new UploadRejectedError({
      kind: 'not_text',
      message: `the file is not valid UTF-8 text (bad bytes near byte ${this.bytes}); save it as "CSV UTF-8"`,
    });
  }

  private accept(text: string, last = false): void {
    if (this.counter) {
      this.counter.write(text);
      return;
    }
    this.headerText += text;
    // The header is the first line with something on it.
    const leading = /^[\s]*/.exec(this.headerText)?.[0] ?? '';
    const lineStart = leading.lastIndexOf('\n') + 1;
    const lineEnd = this.headerText.indexOf('\n', lineStart);
    if (lineEnd < 0 && !last) {
      if (this.headerText.length > MAX_HEADER_CHARS) {
        throw new UploadRejectedError({
          kind: 'not_csv',
          message: 'the first line is over 64 KiB long; this is not a CSV header',
        });
      }
      return;
    }
    const headerLine = this.headerText.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
    if (!headerLine.trim()) return;
    const analysis = analyseHeaderLine(headerLine);
    if (!analysis.ok) {
      throw new UploadRejectedError({
        kind: 'header',
        message: analysis.problem.message,
        header: analysis.problem,
      });
    }
    this.header = analysis.header;
    this.counter = new CsvRecordCounter(analysis.header.delimiter);
    const rest = this.headerText;
    this.headerText = '';
    this.counter.write(rest);
  }

  private checkSignature(chunk: Buffer): void {
    for (const signature of signatures) {
      if (signature.bytes.every((byte, index) => chunk[index] === byte)) {
        throw new UploadRejectedError({ kind: 'not_csv', message: `the file is ${signature.what}` });
      }
    }
  }
}

/**
 * Where the first byte that is not UTF-8 lies in `bytes` (an unfinished character at the end
 * counts), and whether a well-formed multi-byte UTF-8 character comes before it; null if all is UTF-8.
 */
function firstUtf8Error(bytes: Buffer): { offset: number; afterMultiByte: boolean } | null {
  let afterMultiByte = false;
  let index = 0;
  while (index < bytes.length) {
    if (bytes[index] < 0x80) {
      index += 1;
      continue;
    }
    // A well-formed character is 2 to 4 bytes; a shorter prefix of one is not valid on its own.
    let length = 2;
    while (length <= 4 && !isUtf8(bytes.subarray(index, index + length))) length += 1;
    if (length > 4 || index + length > bytes.length) return { offset: index, afterMultiByte };
    afterMultiByte = true;
    index += length;
  }
  return null;
}

/** The last bytes of `bytes` that may begin an unfinished UTF-8 character (at most 3). */
function trailingHighBytes(bytes: Buffer): Buffer {
  let start = bytes.length;
  while (start > 0 && bytes.length - start < 3 && bytes[start - 1] >= 0x80) start -= 1;
  return bytes.subarray(start);
}

export function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
