import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { LineStatus } from '../batches/payout-line.state-machine';
import { chunks, queryOne, queryRows, toSafeNumber } from '../shared/sql';
import type { LedgerLineView, ReconciliationItem, ReconciliationKind } from './reconciliation.rules';

type Db = Pick<EntityManager, 'query'>;

export interface StoredReconciliation {
  id: string;
  batchId: string | null;
  from: Date;
  to: Date;
  requestedBy: string;
  statementItems: number;
  linesCompared: number;
  counts: Record<ReconciliationKind, number>;
  createdAt: Date;
}

@Injectable()
export class ReconciliationRepository {
  /** Lines with their ledger sums by posting kind. */
  async ledgerLines(db: Db, filter: { batchId?: string; lineIds?: string[]; sentFrom?: Date; sentTo?: Date }): Promise<LedgerLineView[]> {
    const rows = await queryRows<Record<string, unknown>>(
      db,
      `SELECT l.id, l.batch_id, l.status, l.amount::text, l.provider_transaction_id,
              coalesce(sum(e.amount) FILTER (WHERE p.kind = 'sent' AND e.amount > 0), 0)::text AS sent,
              coalesce(sum(e.amount) FILTER (WHERE p.kind = 'settled' AND e.amount > 0), 0)::text AS settled,
              coalesce(sum(e.amount) FILTER (WHERE p.kind = 'reversed' AND e.amount > 0), 0)::text AS reversed
         FROM payout_lines l
         LEFT JOIN ledger_postings p ON p.line_id = l.id
         LEFT JOIN ledger_entries e ON e.posting_id = p.id
        WHERE ($1::uuid IS NULL OR l.batch_id = $1)
          AND ($2::uuid[] IS NULL OR l.id = ANY($2))
          AND ($3::timestamptz IS NULL OR (l.first_sent_at >= $3 AND l.first_sent_at < $4))
        GROUP BY l.id`,
      [filter.batchId ?? null, filter.lineIds ?? null, filter.sentFrom ?? null, filter.sentTo ?? null],
    );
    return rows.map((row) => ({
      lineId: row.id as string,
      batchId: row.batch_id as string,
      status: row.status as LineStatus,
      amount: toSafeNumber(row.amount as string),
      providerTransactionId: (row.provider_transaction_id as string | null) ?? null,
      sentAmount: toSafeNumber(row.sent as string),
      settledAmount: toSafeNumber(row.settled as string),
      reversedAmount: toSafeNumber(row.reversed as string),
    }));
  }

  async insert(db: Db, reconciliation: StoredReconciliation, items: ReconciliationItem[]): Promise<void> {
    await db.query(
      `INSERT INTO reconciliations (id, batch_id, period_from, period_to, requested_by, statement_items, lines_compared, counts, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        reconciliation.id,
        reconciliation.batchId,
        reconciliation.from,
        reconciliation.to,
        reconciliation.requestedBy,
        reconciliation.statementItems,
        reconciliation.linesCompared,
        JSON.stringify(reconciliation.counts),
        reconciliation.createdAt,
      ],
    );
    for (const part of chunks(items, 5000)) {
      await db.query(
        `INSERT INTO reconciliation_items (reconciliation_id, kind, reference_id, line_id, batch_id, provider_transaction_id, provider_status, line_status, provider_amount, ledger_amount, detail)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::bigint[], $10::bigint[], $11::text[])`,
        [
          reconciliation.id,
          part.map((item) => item.kind),
          part.map((item) => item.referenceId),
          part.map((item) => item.lineId),
          part.map((item) => item.batchId),
          part.map((item) => item.providerTransactionId),
          part.map((item) => item.providerStatus),
          part.map((item) => item.lineStatus),
          part.map((item) => (item.providerAmount === null ? null : String(item.providerAmount))),
          part.map((item) => (item.ledgerAmount === null ? null : String(item.ledgerAmount))),
          part.map((item) => item.detail),
        ],
      );
    }
  }

  async find(db: Db, id: string): Promise<StoredReconciliation | undefined> {
    const row = await queryOne<Record<string, unknown>>(db, `SELECT * FROM reconciliations WHERE id = $1`, [id]);
    if (!row) return undefined;
    return {
      id: row.id as string,
      batchId: (row.batch_id as string | null) ?? null,
      from: row.period_from as Date,
      to: row.period_to as Date,
      requestedBy: row.requested_by as string,
      statementItems: row.statement_items as number,
      linesCompared: row.lines_compared as number,
      counts: row.counts as Record<ReconciliationKind, number>,
      createdAt: row.created_at as Date,
    };
  }

  async items(db: Db, id: string, filter: { kinds?: readonly ReconciliationKind[]; afterId?: string; limit: number }): Promise<(ReconciliationItem & { id: string })[]> {
    const rows = await queryRows<Record<string, unknown>>(
      db,
      `SELECT id, kind, reference_id, line_id, batch_id, provider_transaction_id, provider_status, line_status,
              provider_amount::text, ledger_amount::text, detail
         FROM reconciliation_items
        WHERE reconciliation_id = $1 AND ($2::text[] IS NULL OR kind = ANY($2)) AND ($3::bigint IS NULL OR id > $3)
        ORDER BY id LIMIT $4`,
      [id, filter.kinds ?? null, filter.afterId ?? null, filter.limit],
    );
    return rows.map((row) => ({
      id: String(row.id),
      kind: row.kind as ReconciliationKind,
      referenceId: row.reference_id as string,
      lineId: (row.line_id as string | null) ?? null,
      batchId: (row.batch_id as string | null) ?? null,
      providerTransactionId: (row.provider_transaction_id as string | null) ?? null,
      providerStatus: (row.provider_status as string | null) ?? null,
      lineStatus: (row.line_status as LineStatus | null) ?? null,
      providerAmount: row.provider_amount === null ? null : toSafeNumber(row.provider_amount as string),
      ledgerAmount: row.ledger_amount === null ? null : toSafeNumber(row.ledger_amount as string),
      detail: row.detail as string,
    }));
  }
}
