import { Injectable, Logger } from '@nestjs/common';
import { safeError } from '../common/safe-error';
import { CashinRepository, NewCashin } from './cashin.repository';
import type { CashinRecord } from './transaction.presenter';

export type AcceptOutcome = { record: CashinRecord; held: boolean } | null;

interface Waiting {
  cashin: NewCashin;
  resolve: (outcome: AcceptOutcome) => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 256;

/**
 * Group commit for the accept path: cash-ins that arrive while a batch is being written are written
 * together in the next one (one transaction, one statement), so a burst costs one commit per batch
 * instead of one per cash-in. One batch is in flight at a time. Within a batch a reference appears
 * once; a repeat is answered as a duplicate after the batch commits. If a batch fails, its cash-ins
 * are retried one by one, so one bad request cannot fail the others. Nothing is answered before it
 * is committed.
 */
@Injectable()
export class CashinAcceptBatcher {
  private readonly logger = new Logger(CashinAcceptBatcher.name);
  private waiting: Waiting[] = [];
  private draining = false;

  constructor(private readonly cashins: CashinRepository) {}

  /** Inserts the cash-in and reserves float for it, or resolves null when its reference is taken. */
  submit(cashin: NewCashin): Promise<AcceptOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ cashin, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        // Let the requests parsed in this turn of the event loop join the first batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, MAX_BATCH);
        await this.write(batch);
      }
    } finally {
      this.draining = false;
    }
  }

  private async write(batch: Waiting[]): Promise<void> {
    const first = new Map<string, Waiting>();
    const repeats: Waiting[] = [];
    for (const entry of batch) {
      if (first.has(entry.cashin.referenceId)) repeats.push(entry);
      else first.set(entry.cashin.referenceId, entry);
    }
    try {
      const inserted = await this.cashins.insertManyIfNewAndReserve(
        [...first.values()].map((entry) => entry.cashin),
      );
      for (const [referenceId, entry] of first) entry.resolve(inserted.get(referenceId) ?? null);
    } catch (error) {
      if (first.size > 1)
        this.logger.warn(
          { error: safeError(error), size: first.size },
          'accept batch failed; writing its cash-ins one by one',
        );
      for (const entry of first.values()) {
        try {
          entry.resolve(await this.cashins.insertIfNewAndReserve(entry.cashin));
        } catch (single) {
          entry.reject(single);
        }
      }
    }
    for (const entry of repeats) entry.resolve(null);
  }
}
