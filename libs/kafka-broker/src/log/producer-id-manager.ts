import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from './atomic-file';

const BLOCK = 1000;

/**
 * Hands out producer ids. With a data directory the end of the current block is written before
 * any id of it is used, so ids are never reused after a restart or a crash.
 */
export class ProducerIdManager {
  private nextId = 0;
  private blockEnd = 0;
  private readonly file: string | null;

  constructor(metaDir: string | null) {
    this.file = metaDir ? path.join(metaDir, 'producer-ids') : null;
    if (this.file && fs.existsSync(this.file)) {
      const n = Number(fs.readFileSync(this.file, 'utf8').trim());
      if (Number.isSafeInteger(n) && n >= 0) {
        this.nextId = n;
        this.blockEnd = n;
      }
    }
  }

  next(): number {
    if (this.nextId >= this.blockEnd) {
      this.blockEnd = this.nextId + BLOCK;
      if (this.file) {
        fs.mkdirSync(path.dirname(this.file), { recursive: true });
        writeFileAtomic(this.file, String(this.blockEnd));
      }
    }
    return this.nextId++;
  }
}
