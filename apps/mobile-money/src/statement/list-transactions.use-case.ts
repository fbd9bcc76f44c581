import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CashinReasonCode } from '../cashins/cashin-reasons';
import type { CashinStatus } from '../cashins/cashin.state-machine';
import { encodeCursor } from './statement-cursor';
import { parseStatementQuery } from './statement-query';
import type { StatementQuery } from './statement-query';

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

/**
 * The transaction statement for reconciliation: cash-ins in creation order, `from` inclusive and `to`
 * exclusive on createdAt, paged with a stable keyset cursor on (created_at, id).
 */
@Injectable()
export class ListTransactionsUseCase {
  constructor(private readonly dataSource: DataSource) {}

  async execute(query: StatementQuery): Promise<StatementPage> {
    const { from, to, position, limit } = parseStatementQuery(query);
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
      [from?.text ?? null, to?.text ?? null, position?.createdAtMicros ?? null, position?.id ?? null, limit + 1],
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
