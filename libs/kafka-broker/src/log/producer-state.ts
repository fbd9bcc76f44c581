import { ErrorCode } from '../protocol/error-codes';

/** How many recent batches per producer and partition Kafka remembers for de-duplication. */
export const PRODUCER_BATCH_CACHE = 5;

export interface ProducerBatch {
  firstSeq: number;
  lastSeq: number;
  baseOffset: number;
  lastOffset: number;
}

interface ProducerEntry {
  epoch: number;
  batches: ProducerBatch[];
}

export type SequenceCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; baseOffset: number }
  | { kind: 'error'; errorCode: number };

const INT32_MAX = 0x7fffffff;

function nextSeq(lastSeq: number): number {
  return lastSeq === INT32_MAX ? 0 : lastSeq + 1;
}

/**
 * Idempotent-producer bookkeeping for one partition: the last few batches of every producer id,
 * so a resent batch is answered with its original offset and never appended twice.
 */
export class ProducerStateTable {
  private readonly producers = new Map<number, ProducerEntry>();

  check(producerId: number, epoch: number, firstSeq: number, lastSeq: number): SequenceCheck {
    if (producerId < 0 || firstSeq < 0) return { kind: 'append' };
    const entry = this.producers.get(producerId);
    if (!entry) return { kind: 'append' }; // unknown producer (new, or its state aged out): accept
    if (epoch < entry.epoch) return { kind: 'error', errorCode: ErrorCode.INVALID_PRODUCER_EPOCH };
    if (epoch > entry.epoch) {
      // A bumped epoch restarts sequences at 0.
      return firstSeq === 0 ? { kind: 'append' } : { kind: 'error', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER };
    }
    for (const b of entry.batches) {
      if (b.firstSeq === firstSeq && b.lastSeq === lastSeq) return { kind: 'duplicate', baseOffset: b.baseOffset };
    }
    const last = entry.batches[entry.batches.length - 1];
    if (!last) return { kind: 'append' };
    if (firstSeq === nextSeq(last.lastSeq)) return { kind: 'append' };
    const oldest = entry.batches[0];
    if (firstSeq >= oldest.firstSeq && firstSeq <= last.lastSeq) {
      return { kind: 'error', errorCode: ErrorCode.DUPLICATE_SEQUENCE_NUMBER };
    }
    return { kind: 'error', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER };
  }

  record(producerId: number, epoch: number, batch: ProducerBatch): void {
    if (producerId < 0 || batch.firstSeq < 0) return;
    let entry = this.producers.get(producerId);
    if (!entry || epoch > entry.epoch) {
      entry = { epoch, batches: [] };
      this.producers.set(producerId, entry);
    }
    entry.batches.push(batch);
    if (entry.batches.length > PRODUCER_BATCH_CACHE) entry.batches.shift();
  }

  /** Forget batches that retention or truncation removed from the log. */
  dropBefore(offset: number): void {
    for (const [pid, entry] of this.producers) {
      entry.batches = entry.batches.filter((b) => b.lastOffset >= offset);
      if (entry.batches.length === 0) this.producers.delete(pid);
    }
  }

  clear(): void {
    this.producers.clear();
  }
}
