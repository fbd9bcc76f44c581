import { Injectable, Logger } from '@nestjs/common';
import { AppError, isUuid } from '@scholarpay/platform';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PayoutBatchRepository } from '../batches/payout-batch.repository';
import { MobileMoneyClient, ProviderUnavailableError } from '../provider/mobile-money.client';
import { LedgerLineView, reconcile, ReconciliationItem, StatementItem } from './reconciliation.rules';
import { ReconciliationRepository, StoredReconciliation } from './reconciliation.repository';

/** The provider's clock and ours may differ a little: a batch's statement window starts this much before its approval. */
const CLOCK_SLACK_MS = 5 * 60 * 1000;
/** Lines missing from the statement are confirmed one by one by a status query, up to this many. */
const MAX_CONFIRMATIONS = 500;

export type ReconciliationScope = { batchId: string } | { from: Date; to: Date };

export interface ReconciliationView extends StoredReconciliation {
  matched: number;
  /** Everything that is not matched and not simply in flight (every item when there are fewer than 1000). */
  mismatches: ReconciliationItem[];
  mismatchesTruncated: boolean;
}

/**
 * Pulls the provider's statement (every page) for a batch or a period and compares it, reference by
 * reference, with our lines and their ledger postings; stores the result. Lines the statement
 * lacks are confirmed by a status query before being reported missing, so a transaction created
 * just outside the window is not a false alarm.
 */
@Injectable()
export class RunReconciliationUseCase {
  private readonly logger = new Logger(RunReconciliationUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly batches: PayoutBatchRepository,
    private readonly reconciliations: ReconciliationRepository,
    private readonly provider: MobileMoneyClient,
  ) {}

  async execute(scope: ReconciliationScope, actor: string): Promise<ReconciliationView> {
    const db = this.dataSource.manager;
    let from: Date;
    let to: Date;
    let lines: LedgerLineView[];
    let batchId: string | null = null;
    if ('batchId' in scope) {
      const batch = await this.batches.findById(db, scope.batchId);
      if (!batch) throw AppError.notFound('PAYOUT_BATCH.NOT_FOUND', `no payout batch ${scope.batchId}`, { batchId: scope.batchId });
      if (!batch.approvedAt) {
        throw AppError.unprocessable('RECONCILIATION.BATCH_NOT_APPROVED', `batch ${batch.id} was never approved, so nothing of it reached the provider`, {
          batchId: batch.id,
          state: batch.state,
        });
      }
      batchId = batch.id;
      from = new Date(batch.approvedAt.getTime() - CLOCK_SLACK_MS);
      to = new Date(Date.now() + 60000);
      lines = await this.reconciliations.ledgerLines(db, { batchId: batch.id });
    } else {
      from = scope.from;
      to = scope.to;
      lines = await this.reconciliations.ledgerLines(db, { sentFrom: from, sentTo: to });
    }

    const statement = await this.fetchStatement(from, to);
    const lineIds = new Set(lines.map((line) => line.lineId));
    // For a batch, only its own references count; for a period, every reference, and the lines
    // behind references sent outside the period are loaded too.
    const inScope = batchId ? statement.filter((item) => lineIds.has(item.referenceId)) : statement;
    if (!batchId) {
      const others = [...new Set(inScope.map((item) => item.referenceId).filter((id) => isUuid(id) && !lineIds.has(id)))];
      if (others.length > 0) lines = lines.concat(await this.reconciliations.ledgerLines(db, { lineIds: others }));
    }

    // A released line (cancelled, closed or rebuilt batch) never reached the provider: nothing to compare.
    lines = lines.filter((line) => line.status !== 'RELEASED');
    const confirmed = await this.confirmMissing(lines, inScope);
    const result = reconcile([...inScope, ...confirmed], lines);
    for (const entry of result.items) {
      if (confirmed.some((item) => item.referenceId === entry.referenceId)) entry.detail += ' (outside the statement window; confirmed by a status query)';
    }

    const stored: StoredReconciliation = {
      id: randomUUID(),
      batchId,
      from,
      to,
      requestedBy: actor,
      statementItems: inScope.length,
      linesCompared: lines.length,
      counts: result.counts,
      createdAt: new Date(),
    };
    await this.dataSource.transaction((manager) => this.reconciliations.insert(manager, stored, result.items));
    const mismatches = result.items.filter((item) => item.kind !== 'MATCHED' && item.kind !== 'IN_FLIGHT');
    if (mismatches.length > 0) this.logger.warn({ reconciliationId: stored.id, counts: result.counts }, 'reconciliation found mismatches');
    return {
      ...stored,
      matched: result.counts.MATCHED,
      mismatches: mismatches.slice(0, 1000),
      mismatchesTruncated: mismatches.length > 1000,
    };
  }

  private async fetchStatement(from: Date, to: Date): Promise<StatementItem[]> {
    const items: StatementItem[] = [];
    let cursor: string | null = null;
    try {
      do {
        const page = await this.provider.listTransactions({ from: from.toISOString(), to: to.toISOString(), cursor, limit: 1000 });
        for (const item of page.items) {
          if (typeof item.referenceId !== 'string' || typeof item.amount?.value !== 'number') continue;
          items.push({
            transactionId: item.transactionId,
            referenceId: item.referenceId.toLowerCase(),
            status: item.status,
            amount: item.amount.value,
            createdAt: item.createdAt,
          });
        }
        cursor = page.nextCursor;
      } while (cursor);
    } catch (error) {
      if (error instanceof ProviderUnavailableError) {
        throw new AppError('unavailable', 'RECONCILIATION.PROVIDER_UNAVAILABLE', `the provider's statement could not be read: ${error.message}; try again shortly`);
      }
      throw error;
    }
    return items;
  }

  /** Status queries for lines the provider should have but the statement window does not show. */
  private async confirmMissing(lines: LedgerLineView[], statement: StatementItem[]): Promise<StatementItem[]> {
    const listed = new Set(statement.map((item) => item.referenceId));
    const expected = lines.filter(
      (line) => !listed.has(line.lineId) && (line.status === 'SUBMITTED' || line.status === 'PAID' || (line.status === 'FAILED' && line.providerTransactionId)),
    );
    const found: StatementItem[] = [];
    for (const line of expected.slice(0, MAX_CONFIRMATIONS)) {
      const { outcome } = await this.provider.getCashin(line.lineId);
      if (outcome.kind === 'found') {
        found.push({
          transactionId: outcome.transaction.transactionId,
          referenceId: outcome.transaction.referenceId.toLowerCase(),
          status: outcome.transaction.status,
          amount: outcome.transaction.amount.value,
          createdAt: outcome.transaction.createdAt ?? '',
        });
      }
    }
    return found;
  }
}
