import * as fs from 'node:fs';
import * as path from 'node:path';
import { fsyncDir } from './segment';

/** Write to a temporary file, fsync, rename over the target, fsync the directory. */
export function writeFileAtomic(file: string, data: string | Buffer): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}
