import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { chunks, queryOne, queryRows, toSafeNumber } from '../shared/sql';
import { AccountType, PostingSpec } from './ledger.rules';

type Db = Pick<EntityManager, 'query'>;

export interface AccountTypeTotals {
  accountType: AccountType;
  accounts: number;
  debits: number;
  credits: number;
  balance: number;
}

export interface LineLedgerPosition {
  lineId: string;
  batchId: string;
  status: string;
  amount: number;
  committed: boolean;
  budget: number;
  payable: number;
  clearing: number;
  settled: number;
}

/**
 * The ledger's storage: postings written in bulk, each with its two entries in the same
 * statement (the balance trigger checks each statement), idempotent by posting key. Nothing here
 * updates or deletes: the database refuses it anyway.
 */
@Injectable()
export class LedgerRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records the postings not recorded yet (by key); returns how many were new. */
  async post(db: Db, specs: readonly PostingSpec[]): Promise<number> {
    const unique = [...new Map(specs.map((spec) => [spec.key, spec])).values()];
    let recorded = 0;
    for (const part of chunks(unique, 5000)) {
      const rows = await queryRows<{ posting_id: string }>(
        db,
        `WITH input AS (
           SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::text[],
                                $8::text[], $9::text[], $10::text[], $11::text[], $12::bigint[])
             AS t(posting_key, kind, programme_id, student_id, batch_id, line_id, description, from_account, from_type, to_account, to_type, amount)
         ), inserted AS (
           INSERT INTO ledger_postings (posting_key, kind, programme_id, student_id, batch_id, line_id, description)
           SELECT posting_key, kind, programme_id, student_id, batch_id, line_id, description FROM input
           ON CONFLICT (posting_key) DO NOTHING
           RETURNING id, posting_key
         )
         INSERT INTO ledger_entries (posting_id, account, account_type, programme_id, student_id, line_id, amount)
         SELECT i.id, e.account, e.account_type, p.programme_id, p.student_id, p.line_id, e.amount
           FROM inserted i
           JOIN input p ON p.posting_key = i.posting_key
           CROSS JOIN LATERAL (VALUES (p.from_account, p.from_type, -p.amount), (p.to_account, p.to_type, p.amount)) AS e(account, account_type, amount)
         RETURNING posting_id`,
        [
          part.map((spec) => spec.key),
          part.map((spec) => spec.kind),
          part.map((spec) => spec.programmeId),
          part.map((spec) => spec.studentId),
          part.map((spec) => spec.batchId),
          part.map((spec) => spec.lineId),
          part.map((spec) => spec.description),
          part.map((spec) => spec.from.account),
          part.map((spec) => spec.from.type),
          part.map((spec) => spec.to.account),
          part.map((spec) => spec.to.type),
          part.map((spec) => String(spec.amount)),
        ],
      );
      recorded += rows.length / 2;
    }
    return recorded;
  }

  /** The sums of a programme's entries by account type. */
  async programmeSums(db: Db, programmeId: string): Promise<Partial<Record<AccountType, number>>> {
    const rows = await queryRows<{ account_type: AccountType; balance: string }>(
      db,
      `SELECT account_type, sum(amount)::text AS balance FROM ledger_entries WHERE programme_id = $1 GROUP BY account_type`,
      [programmeId],
    );
    return Object.fromEntries(rows.map((row) => [row.account_type, toSafeNumber(row.balance)]));
  }

  /** What the ledger has funded a programme with so far (the credit balance of its funding account). */
  async fundedSoFar(db: Db, programmeId: string): Promise<number> {
    const row = await queryOne<{ balance: string | null }>(
      db,
      `SELECT sum(amount)::text AS balance FROM ledger_entries WHERE programme_id = $1 AND account_type = 'programme_funding'`,
      [programmeId],
    );
    return -toSafeNumber(row?.balance ?? 0);
  }

  async studentSums(studentId: string): Promise<{ programmeId: string; accountType: AccountType; balance: number }[]> {
    const rows = await queryRows<{ programme_id: string; account_type: AccountType; balance: string }>(
      this.dataSource,
      `SELECT programme_id, account_type, sum(amount)::text AS balance FROM ledger_entries
        WHERE student_id = $1 GROUP BY programme_id, account_type ORDER BY programme_id`,
      [studentId],
    );
    return rows.map((row) => ({ programmeId: row.programme_id, accountType: row.account_type, balance: toSafeNumber(row.balance) }));
  }

  async totalsByAccountType(): Promise<AccountTypeTotals[]> {
    const rows = await queryRows<{ account_type: AccountType; accounts: number; debits: string; credits: string; balance: string }>(
      this.dataSource,
      `SELECT account_type, count(DISTINCT account)::int AS accounts,
              coalesce(sum(amount) FILTER (WHERE amount > 0), 0)::text AS debits,
              coalesce(-sum(amount) FILTER (WHERE amount < 0), 0)::text AS credits,
              sum(amount)::text AS balance
         FROM ledger_entries GROUP BY account_type ORDER BY account_type`,
    );
    return rows.map((row) => ({
      accountType: row.account_type,
      accounts: row.accounts,
      debits: toSafeNumber(row.debits),
      credits: toSafeNumber(row.credits),
      balance: toSafeNumber(row.balance),
    }));
  }

  /** Postings whose entries do not sum to zero, or that have fewer than two entries (there should be none). */
  async unbalancedPostings(limit = 100): Promise<{ postingId: string; postingKey: string; sum: number; entries: number }[]> {
    const rows = await queryRows<{ id: string; posting_key: string; total: string | null; entries: number }>(
      this.dataSource,
      `SELECT p.id, p.posting_key, sum(e.amount)::text AS total, count(e.id)::int AS entries
         FROM ledger_postings p LEFT JOIN ledger_entries e ON e.posting_id = p.id
        GROUP BY p.id HAVING count(e.id) < 2 OR sum(e.amount) <> 0
        ORDER BY p.id LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({ postingId: row.id, postingKey: row.posting_key, sum: toSafeNumber(row.total), entries: row.entries }));
  }

  async postingCount(): Promise<number> {
    const row = await queryOne<{ count: number }>(this.dataSource, `SELECT count(*)::int AS count FROM ledger_postings`);
    return row?.count ?? 0;
  }

  /** Every line's net position per account type (lines of batches that were approved count as committed). */
  async linePositions(filter: { batchId?: string } = {}): Promise<LineLedgerPosition[]> {
    const rows = await queryRows<{
      id: string;
      batch_id: string;
      status: string;
      amount: string;
      committed: boolean;
      budget: string;
      payable: string;
      clearing: string;
      settled: string;
    }>(
      this.dataSource,
      `SELECT l.id, l.batch_id, l.status, l.amount::text,
              (b.approved_at IS NOT NULL) AS committed,
              coalesce(sum(e.amount) FILTER (WHERE e.account_type = 'programme_budget'), 0)::text AS budget,
              coalesce(sum(e.amount) FILTER (WHERE e.account_type = 'student_payable'), 0)::text AS payable,
              coalesce(sum(e.amount) FILTER (WHERE e.account_type = 'provider_clearing'), 0)::text AS clearing,
              coalesce(sum(e.amount) FILTER (WHERE e.account_type = 'provider_settled'), 0)::text AS settled
         FROM payout_lines l
         JOIN payout_batches b ON b.id = l.batch_id
         LEFT JOIN ledger_postings p ON p.line_id = l.id
         LEFT JOIN ledger_entries e ON e.posting_id = p.id
        WHERE ($1::uuid IS NULL OR l.batch_id = $1)
        GROUP BY l.id, b.approved_at`,
      [filter.batchId ?? null],
    );
    return rows.map((row) => ({
      lineId: row.id,
      batchId: row.batch_id,
      status: row.status,
      amount: toSafeNumber(row.amount),
      committed: row.committed,
      budget: toSafeNumber(row.budget),
      payable: toSafeNumber(row.payable),
      clearing: toSafeNumber(row.clearing),
      settled: toSafeNumber(row.settled),
    }));
  }
}
