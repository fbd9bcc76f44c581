import { Injectable } from '@nestjs/common';
import { Coalescer } from '@scholarpay/platform';
import { DataSource, EntityManager } from 'typeorm';
import { queryRows } from '../common/sql';
import type { CallbackFaultDecision } from '../faults/fault-plan';
import type { CashinReasonCode } from './cashin-reasons';
import type { CashinStatus } from './cashin.state-machine';
import type { CashinRecord } from './transaction.presenter';

export const CASHIN_COLUMNS = `id, transaction_id, reference_id, payload_hash, msisdn, amount, merchant_reference, description,
  callback_url, client_id, status, reason_code, created_at, completed_at, status_visible_at`;

export interface CashinRow {
  id: string;
  transaction_id: string;
  reference_id: string;
  payload_hash: string;
  msisdn: string;
  amount: string;
  merchant_reference: string;
  description: string | null;
  callback_url: string | null;
  client_id: string;
  status: CashinStatus;
  reason_code: CashinReasonCode | null;
  created_at: Date;
  completed_at: Date | null;
  status_visible_at: Date | null;
}

export function cashinFromRow(row: CashinRow): CashinRecord {
  return {
    id: Number(row.id),
    transactionId: row.transaction_id,
    referenceId: row.reference_id,
    payloadHash: row.payload_hash,
    msisdn: row.msisdn,
    amount: Number(row.amount),
    merchantReference: row.merchant_reference,
    description: row.description,
    callbackUrl: row.callback_url,
    clientId: row.client_id,
    status: row.status,
    reasonCode: row.reason_code,
    createdAt: row.created_at,
    completedAt: row.completed_at,
    statusVisibleAt: row.status_visible_at,
  };
}

export interface NewCashin {
  transactionId: string;
  referenceId: string;
  payloadHash: string;
  msisdn: string;
  amount: number;
  merchantReference: string;
  description: string | null;
  callbackUrl: string | null;
  clientId: string;
  processingDelayMs: number;
  callbackPlan: CallbackFaultDecision | null;
  /** The float shard to reserve on. */
  floatShard: number;
}

export interface DueCashin extends CashinRecord {
  /** The float reserved for it (at acceptance, or across the whole float) and on which shard, or null when there was none. */
  hold: { shard: number; amount: number } | null;
  callbackPlan: CallbackFaultDecision | null;
}

export interface CompletedCashin {
  id: number;
  status: Exclude<CashinStatus, 'PENDING'>;
  reasonCode: CashinReasonCode | null;
  statusVisibleLagMs: number | null;
}

@Injectable()
export class CashinRepository {
  /** Status queries arriving together are answered by one SELECT (group read). */
  private readonly byReference = new Coalescer<string, CashinRecord | null>((referenceIds) => this.findManyByReferenceId(referenceIds), {
    maxBatch: 500,
    maxConcurrent: 2,
  });

  constructor(private readonly dataSource: DataSource) {}

  /**
   * The whole accept path in one statement (one implicit transaction): insert the cash-in unless the
   * reference exists, and reserve float for it on its shard when that shard covers it. Returns null
   * when the reference was already taken (by an earlier or a concurrent request).
   */
  async insertIfNewAndReserve(cashin: NewCashin): Promise<{ record: CashinRecord; held: boolean } | null> {
    const rows: (CashinRow & { held: boolean })[] = await this.dataSource.query(
      `WITH ins AS (
         INSERT INTO cashins (transaction_id, reference_id, payload_hash, msisdn, amount, merchant_reference, description,
                              callback_url, client_id, status, due_at, callback_plan)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'PENDING', clock_timestamp() + $10 * interval '1 millisecond', $11)
         ON CONFLICT (reference_id) DO NOTHING
         RETURNING ${CASHIN_COLUMNS}
       ), reserve AS (
         UPDATE float_shards f SET reserved = f.reserved + ins.amount, updated_at = now()
           FROM ins
          WHERE f.shard = $12 AND f.balance - f.reserved >= ins.amount
         RETURNING ins.id, ins.amount
       ), hold AS (
         INSERT INTO float_holds (cashin_id, shard, amount) SELECT id, $12, amount FROM reserve RETURNING cashin_id
       )
       SELECT ins.*, EXISTS (SELECT 1 FROM hold) AS held FROM ins`,
      [
        cashin.transactionId,
        cashin.referenceId,
        cashin.payloadHash,
        cashin.msisdn,
        cashin.amount,
        cashin.merchantReference,
        cashin.description,
        cashin.callbackUrl,
        cashin.clientId,
        cashin.processingDelayMs,
        cashin.callbackPlan ? JSON.stringify(cashin.callbackPlan) : null,
        cashin.floatShard,
      ],
    );
    if (rows.length === 0) return null;
    return { record: cashinFromRow(rows[0]), held: rows[0].held };
  }

  /**
   * The accept path for a batch of cash-ins with distinct references, in one transaction: lock the
   * float shards concerned (in shard order, as every writer of shards does), then one statement
   * inserts the cash-ins whose reference is new and reserves, shard by shard, the float for them
   * when the shard covers its whole group (a group that does not fit gets no hold; its cash-ins go
   * through the slow path one by one). Returns the inserted ones by reference id.
   */
  async insertManyIfNewAndReserve(
    cashins: NewCashin[],
  ): Promise<Map<string, { record: CashinRecord; held: boolean }>> {
    return this.dataSource.transaction(async (manager) => {
      const shards = [...new Set(cashins.map((cashin) => cashin.floatShard))].sort((a, b) => a - b);
      await manager.query(
        `SELECT shard FROM float_shards WHERE shard = ANY($1::smallint[]) ORDER BY shard FOR UPDATE`,
        [shards],
      );
      const rows: (CashinRow & { held: boolean })[] = await manager.query(
        `WITH input AS (
           SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[],
                                $8::text[], $9::text[], $10::int[], $11::jsonb[], $12::smallint[])
             WITH ORDINALITY AS i(transaction_id, reference_id, payload_hash, msisdn, amount, merchant_reference, description,
                                  callback_url, client_id, delay_ms, callback_plan, shard, ord)
         ), ins AS (
           INSERT INTO cashins (transaction_id, reference_id, payload_hash, msisdn, amount, merchant_reference, description,
                                callback_url, client_id, status, due_at, callback_plan)
           SELECT transaction_id, reference_id, payload_hash, msisdn, amount, merchant_reference, description,
                  callback_url, client_id, 'PENDING', clock_timestamp() + delay_ms * interval '1 millisecond', callback_plan
             FROM input ORDER BY ord
           ON CONFLICT (reference_id) DO NOTHING
           RETURNING ${CASHIN_COLUMNS}
         ), placed AS (
           SELECT ins.id, ins.amount, input.shard FROM ins JOIN input ON input.reference_id = ins.reference_id
         ), wanted AS (
           SELECT shard, sum(amount) AS total FROM placed GROUP BY shard
         ), reserve AS (
           UPDATE float_shards f SET reserved = f.reserved + w.total, updated_at = now()
             FROM wanted w
            WHERE f.shard = w.shard AND f.balance - f.reserved >= w.total
           RETURNING f.shard
         ), hold AS (
           INSERT INTO float_holds (cashin_id, shard, amount)
           SELECT placed.id, placed.shard, placed.amount FROM placed WHERE placed.shard IN (SELECT shard FROM reserve)
           RETURNING cashin_id
         )
         SELECT ins.*, EXISTS (SELECT 1 FROM hold WHERE hold.cashin_id = ins.id) AS held FROM ins`,
        [
          cashins.map((cashin) => cashin.transactionId),
          cashins.map((cashin) => cashin.referenceId),
          cashins.map((cashin) => cashin.payloadHash),
          cashins.map((cashin) => cashin.msisdn),
          cashins.map((cashin) => cashin.amount),
          cashins.map((cashin) => cashin.merchantReference),
          cashins.map((cashin) => cashin.description),
          cashins.map((cashin) => cashin.callbackUrl),
          cashins.map((cashin) => cashin.clientId),
          cashins.map((cashin) => cashin.processingDelayMs),
          cashins.map((cashin) => (cashin.callbackPlan ? JSON.stringify(cashin.callbackPlan) : null)),
          cashins.map((cashin) => cashin.floatShard),
        ],
      );
      return new Map(rows.map((row) => [row.reference_id, { record: cashinFromRow(row), held: row.held }]));
    });
  }

  /** `referenceId`: a lower-case UUID (see parseReferenceId). */
  findByReferenceId(referenceId: string): Promise<CashinRecord | null> {
    return this.byReference.submit(referenceId);
  }

  private async findManyByReferenceId(referenceIds: string[]): Promise<(CashinRecord | null)[]> {
    const rows: CashinRow[] = await this.dataSource.query(
      `SELECT ${CASHIN_COLUMNS} FROM cashins WHERE reference_id = ANY($1::uuid[])`,
      [referenceIds],
    );
    const byReference = new Map(rows.map((row) => [String(row.reference_id), row]));
    return referenceIds.map((referenceId) => {
      const row = byReference.get(referenceId);
      return row ? cashinFromRow(row) : null;
    });
  }

  /**
   * Locks up to `limit` pending cash-ins that are due, oldest first, skipping those another worker
   * holds, with the float held for each. Returns them with the database clock's current day (UTC).
   */
  async lockDueBatch(manager: EntityManager, limit: number): Promise<{ due: DueCashin[]; today: string }> {
    const rows: (CashinRow & {
      held_amount: string | null;
      held_shard: number | null;
      callback_plan: CallbackFaultDecision | null;
      today: string;
    })[] = await manager.query(
      `SELECT ${CASHIN_COLUMNS.replace(/(\w+)/g, 'c.$1')}, c.callback_plan, h.amount AS held_amount, h.shard AS held_shard,
                to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS today
           FROM cashins c LEFT JOIN float_holds h ON h.cashin_id = c.id
          WHERE c.status = 'PENDING' AND c.due_at <= now()
          ORDER BY c.due_at, c.id
          LIMIT $1
          FOR UPDATE OF c SKIP LOCKED`,
      [limit],
    );
    return {
      today: rows[0]?.today ?? new Date().toISOString().slice(0, 10),
      due: rows.map((row) => ({
        ...cashinFromRow(row),
        hold:
          row.held_amount === null
            ? null
            : { shard: Number(row.held_shard), amount: Number(row.held_amount) },
        callbackPlan: row.callback_plan,
      })),
    };
  }

  /** Moves locked pending cash-ins to their final state; returns them with their completion time. */
  async markCompleted(manager: EntityManager, completed: CompletedCashin[]): Promise<CashinRecord[]> {
    const rows = await queryRows<CashinRow>(
      manager,
      `UPDATE cashins c
          SET status = v.status, reason_code = v.reason_code, completed_at = clock_timestamp(),
              status_visible_at = CASE WHEN v.lag_ms IS NULL THEN NULL ELSE clock_timestamp() + v.lag_ms * interval '1 millisecond' END
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[]) AS v(id, status, reason_code, lag_ms)
        WHERE c.id = v.id AND c.status = 'PENDING'
       RETURNING ${CASHIN_COLUMNS.replace(/(\w+)/g, 'c.$1')}`,
      [
        completed.map((entry) => entry.id),
        completed.map((entry) => entry.status),
        completed.map((entry) => entry.reasonCode),
        completed.map((entry) => entry.statusVisibleLagMs),
      ],
    );
    return rows.map(cashinFromRow);
  }

  /** Deletes the holds of completed cash-ins; returns how many there were. */
  async deleteHolds(manager: EntityManager, cashinIds: number[]): Promise<number> {
    const result: [unknown[], number] = await manager.query(
      `DELETE FROM float_holds WHERE cashin_id = ANY($1::bigint[])`,
      [cashinIds],
    );
    return result[1];
  }
}
