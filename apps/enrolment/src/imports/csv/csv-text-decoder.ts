import { TextDecoder } from 'node:util';

export type CsvEncoding = 'utf-8' | 'windows-1252';

/**
 * Bytes of a CSV file to text, piece by piece: drops a UTF-8 byte-order mark, and turns Windows
 * line endings into "\n" (a "\r" at the end of a piece waits for the next one), so line numbers
 * count the way a text editor does. Multi-byte characters split across pieces are kept whole.
 */
export class CsvTextDecoder {
  private readonly decoder: TextDecoder;
  private started = false;
  private pendingCarriageReturn = false;

  constructor(encoding: CsvEncoding, { fatal = false } = {}) {
    this.decoder = new TextDecoder(encoding, { fatal, ignoreBOM: true });
  }

  /** Throws a TypeError for bytes that are not valid in the encoding when `fatal` was set. */
  write(chunk: Uint8Array): string {
    return this.normalise(this.decoder.decode(chunk, { stream: true }), false);
  }

  end(): string {
    return this.normalise(this.decoder.decode(), true);
  }

  private normalise(text: string, last: boolean): string {
    let value = text;
    if (!this.started && value.length > 0) {
      this.started = true;
      if (value.charCodeAt(0) === 0xfeff) value = value.slice(1);
    }
    if (this.pendingCarriageReturn) {
      value = `\r${value}`;
      this.pendingCarriageReturn = false;
    }
    if (!last && value.endsWith('\r')) {
      value = value.slice(0, -1);
      this.pendingCarriageReturn = true;
    }
    return value.replace(/\r\n?/g, '\n');
  }
}
