import { BatchHeader, checkBatchAt } from '../protocol/record-batch';

export interface ScanResult {
  batches: BatchHeader[];
  /** Bytes from the start that hold intact, consecutive batches. */
  validBytes: number;
  /** Why the scan stopped before the end, or null if the whole buffer is valid. */
  problem: string | null;
}

/**
 * Log recovery, without I/O: walks a segment's bytes and keeps the longest prefix of batches
 * that are complete, have magic 2 and a matching CRC-32C, and whose offsets follow on from
 * `baseOffset` without gap or overlap. Whatever follows is a torn or corrupt tail to cut.
 */
export function scanSegment(data: Buffer, baseOffset: number): ScanResult {
  const batches: BatchHeader[] = [];
  let pos = 0;
  let next = baseOffset;
  let problem: string | null = null;
  while (pos < data.length) {
    const h = checkBatchAt(data, pos);
    if (typeof h === 'string') {
      problem = h;
      break;
    }
    if (h.baseOffset !== next) {
      problem = `offset ${h.baseOffset} where ${next} was expected`;
      break;
    }
    batches.push(h);
    next = h.baseOffset + h.lastOffsetDelta + 1;
    pos += h.size;
  }
  return { batches, validBytes: pos, problem };
}
