/**
 * Counts the records of CSV text as it streams past, the way the parser will see them: a line
 * break inside a quoted field does not end a record, and lines holding nothing but spaces and
 * delimiters are not records. Cheap enough to run while the upload arrives, so an import knows its
 * total before processing starts.
 */
export class CsvRecordCounter {
  private records = 0;
  private quoted = false;
  private justClosedQuote = false;
  private atFieldStart = true;
  private recordHasContent = false;

  constructor(private readonly delimiter: string) {}

  /** Text with "\n" line endings (see CsvTextDecoder). */
  write(text: string): void {
    const delimiter = this.delimiter.charCodeAt(0);
    for (let index = 0; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      if (this.quoted) {
        if (code === 34) {
          this.quoted = false;
          this.justClosedQuote = true;
        }
        continue;
      }
      if (this.justClosedQuote) {
        this.justClosedQuote = false;
        if (code === 34) {
          // "" inside a quoted field: an escaped quote, the field goes on.
          this.quoted = true;
          continue;
        }
      }
      if (code === 10) {
        if (this.recordHasContent) this.records += 1;
        this.recordHasContent = false;
        this.atFieldStart = true;
      } else if (code === delimiter) {
        this.atFieldStart = true;
      } else if (code === 34 && this.atFieldStart) {
        this.quoted = true;
        this.recordHasContent = true;
        this.atFieldStart = false;
      } else {
        this.atFieldStart = false;
        if (code !== 32 && code !== 9 && code !== 13) this.recordHasContent = true;
      }
    }
  }

  /** Records seen, counting an unterminated last line. */
  total(): number {
    return this.records + (this.recordHasContent || this.quoted ? 1 : 0);
  }
}
