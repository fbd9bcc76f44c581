import { Injectable } from '@nestjs/common';
import { CashinRepository } from './cashin.repository';
import { CashinErrors, parseReferenceId } from './cashins.errors';
import { presentVisibleTransaction, TransactionView } from './transaction.presenter';

/** One entry of a lookup's answer: the transaction, or null when no cash-in has that reference. */
export interface CashinLookupItem {
  referenceId: string;
  transaction: TransactionView | null;
}

/** Status queries: one cash-in by its X-Reference-Id, or many at once (in the order asked). */
@Injectable()
export class GetCashinUseCase {
  constructor(private readonly cashins: CashinRepository) {}

  async execute(referenceIdParam: string): Promise<TransactionView> {
    const reference = parseReferenceId(referenceIdParam);
    if (!reference.ok) throw CashinErrors.invalidReferenceId(reference.problem, 'referenceId');
    const record = await this.cashins.findByReferenceId(reference.value);
    if (!record) throw CashinErrors.notFound();
    return presentVisibleTransaction(record, Date.now());
  }

  /** `referenceIds` are validated UUIDs (LookupCashinsDto); the repository reads them with one SELECT. */
  async lookup(referenceIds: readonly string[]): Promise<{ items: CashinLookupItem[] }> {
    const normalized = referenceIds.map((referenceId) => referenceId.toLowerCase());
    const records = await Promise.all(normalized.map((referenceId) => this.cashins.findByReferenceId(referenceId)));
    const nowMs = Date.now();
    return {
      items: normalized.map((referenceId, index) => {
        const record = records[index];
        return { referenceId, transaction: record ? presentVisibleTransaction(record, nowMs) : null };
      }),
    };
  }
}
