import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProviderError } from '../common/provider-error';
import type { CashinReasonCode } from '../cashins/cashin-reasons';
import type { CashinStatus } from '../cashins/cashin.state-machine';
import { decodeCursor, encodeCursor } from './statement-cursor';

export interface StatementQuery {
  from?: unknown;
  to?: unknown;
  cursor?: unknown;
  limit?: unknown;
}

export interface StatementItem {
  transactionId: string;
  referenceId: string;
  type: 'CASHIN';
  status: CashinStatus;
  reasonCode: CashinReasonCode | null;
  msisdn: string;
  amount: { value: number; unit: 'XOF' };
  reference: string;
  createdAt: string;
  completedAt: string | null;
}

export interface StatementPage {
  items: StatementItem[];
  nextCursor: string | null;
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The transaction statement for reconciliation: cash-ins in creation order, `from` inclusive and `to`
 * exclusive on createdAt, paged with a stable keyset cursor on (created_at, id).
 */
@Injectable()
export class ListTransactionsUseCase {
  constructor(private readonly dataSource: DataSource) {}

  async execute(query: StatementQuery): Promise<StatementPage> {
    const problems: { field: string; problem: string }[] = [];
    const from = parseInstant(query.from, 'from', problems);
    const to = parseInstant(query.to, 'to', problems);
    let limit = DEFAULT_LIMIT;
    if (query.limit !== undefined) {
      const text = String(query.limit);
      if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_LIMIT) {
        problems.push({ field: 'limit', problem: `must be a whole number from 1 to ${MAX_LIMIT}` });
      } else {
        limit = Number(text);
      }
    }
    let position = null;
    if (query.cursor !== undefined) {
      position = typeof query.cursor === 'string' ? decodeCursor(query.cursor) : null;
      if (!position) problems.push({ field: 'cursor', problem: 'is not a cursor this statement returned' });
    }
    if (from && to && from >= to) problems.push({ field: 'to', problem: 'must be after from' });
    if (problems.length) {
      throw ProviderError.invalidRequest(
        `the statement query is invalid: ${problems.map((entry) => `${entry.field} ${entry.problem}`).join('; ')}`,
        problems,
      );
    }

    const rows: {
      id: string;
      micros: string;
      transaction_id: string;
      reference_id: string;
      status: CashinStatus;
      reason_code: CashinReasonCode | null;
      msisdn: string;
      amount: string;
      merchant_reference: string;
      created_at: Date;
      completed_at: Date | null;
    }[] = await this.dataSource.query(
      `SELECT id, (extract(epoch FROM created_at) * 1000000)::bigint AS micros, transaction_id, reference_id, status,
              reason_code, msisdn, amount, merchant_reference, created_at, completed_at
         FROM cashins
        WHERE ($1::timestamptz IS NULL OR created_at >= $1)
          AND ($2::timestamptz IS NULL OR created_at < $2)
          AND ($3::bigint IS NULL OR (created_at, id) > (timestamptz 'epoch' + $3::bigint * interval '1 microsecond', $4::bigint))
        ORDER BY created_at, id
        LIMIT $5`,
      [from, to, position?.createdAtMicros ?? null, position?.id ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => ({
        transactionId: row.transaction_id,
        referenceId: row.reference_id,
        type: 'CASHIN',
        status: row.status,
        reasonCode: row.reason_code,
        msisdn: row.msisdn,
        amount: { value: Number(row.amount), unit: 'XOF' },
        reference: row.merchant_reference,
        createdAt: row.created_at.toISOString(),
        completedAt: row.completed_at ? row.completed_at.toISOString() : null,
      })),
      nextCursor:
        rows.length > limit && last ? encodeCursor({ createdAtMicros: last.micros, id: last.id }) : null,
    };
  }
}

function parseInstant(
  value: unknown,
  field: string,
  problems: { field: string; problem: string }[],
): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || !ISO_DATETIME.test(value) || Number.isNaN(Date.parse(value))) {
    problems.push({
      field,
      problem: 'must be an ISO 8601 date-time with a time zone (e.g. 2026-03-01T00:00:00Z)',
    });
    return null;
  }
  return value;
}
