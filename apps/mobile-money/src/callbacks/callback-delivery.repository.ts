import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { queryRows } from '../common/sql';
import type { CallbackKind, CallbackStatus } from './callback-delivery.entity';

export interface NewCallback {
  cashinId: number;
  url: string;
  payload: string;
  kind: CallbackKind;
  status: Extract<CallbackStatus, 'PENDING' | 'DROPPED'>;
  delayMs: number;
}

/** One delivery attempt's outcome. */
export type CallbackAttempt =
  | { id: number; delivered: true; responseStatus: number }
  | { id: number; delivered: false; responseStatus: number | null; error: string; retryInMs: number | null };

export interface ClaimedCallback {
  id: number;
  url: string;
  payload: string;
  attempts: number;
  maxAttempts: number;
}

@Injectable()
export class CallbackDeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Queues callbacks in the caller's transaction (the outbox write). */
  async enqueue(
    manager: EntityManager | DataSource,
    callbacks: NewCallback[],
    maxAttempts: number,
  ): Promise<void> {
    if (callbacks.length === 0) return;
    await manager.query(
      `INSERT INTO callback_deliveries (cashin_id, url, payload, kind, status, max_attempts, next_attempt_at)
       SELECT v.cashin_id, v.url, v.payload, v.kind, v.status, $7, clock_timestamp() + v.delay_ms * interval '1 millisecond'
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[])
           AS v(cashin_id, url, payload, kind, status, delay_ms)`,
      [
        callbacks.map((entry) => entry.cashinId),
        callbacks.map((entry) => entry.url),
        callbacks.map((entry) => entry.payload),
        callbacks.map((entry) => entry.kind),
        callbacks.map((entry) => entry.status),
        callbacks.map((entry) => entry.delayMs),
        maxAttempts,
      ],
    );
  }

  /**
   * Claims due callbacks for one attempt: counts the attempt and leases the row for `leaseMs`, so a
   * worker that dies mid-send leaves it to be retried after the lease (at-least-once delivery).
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedCallback[]> {
    const rows = await queryRows<{
      id: string;
      url: string;
      payload: string;
      attempts: number;
      max_attempts: number;
    }>(
      this.dataSource,
      `UPDATE callback_deliveries d
          SET attempts = d.attempts + 1, next_attempt_at = clock_timestamp() + $2 * interval '1 millisecond'
        WHERE d.id IN (SELECT id FROM callback_deliveries
                        WHERE status = 'PENDING' AND next_attempt_at <= now()
                        ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING d.id, d.url, d.payload, d.attempts, d.max_attempts`,
      [limit, leaseMs],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      url: row.url,
      payload: row.payload,
      attempts: row.attempts,
      maxAttempts: row.max_attempts,
    }));
  }

  /**
   * Records the attempts of one claimed batch in one statement: delivered ones, failed ones to be
   * retried after `retryInMs`, and failed ones given up (FAILED: that was the last attempt).
   */
  async recordAttempts(attempts: readonly CallbackAttempt[]): Promise<void> {
    if (attempts.length === 0) return;
    await this.dataSource.query(
      `UPDATE callback_deliveries d
          SET status = CASE WHEN v.delivered THEN 'DELIVERED' WHEN v.retry_ms IS NULL THEN 'FAILED' ELSE 'PENDING' END,
              delivered_at = CASE WHEN v.delivered THEN clock_timestamp() ELSE d.delivered_at END,
              next_attempt_at = CASE WHEN v.delivered OR v.retry_ms IS NULL THEN d.next_attempt_at
                                     ELSE clock_timestamp() + v.retry_ms * interval '1 millisecond' END,
              last_response_status = v.response_status,
              last_error = v.error
         FROM unnest($1::bigint[], $2::bool[], $3::int[], $4::text[], $5::int[])
           AS v(id, delivered, response_status, error, retry_ms)
        WHERE d.id = v.id`,
      [
        attempts.map((attempt) => attempt.id),
        attempts.map((attempt) => attempt.delivered),
        attempts.map((attempt) => attempt.responseStatus),
        attempts.map((attempt) => (attempt.delivered ? null : attempt.error.slice(0, 500))),
        attempts.map((attempt) => (attempt.delivered ? null : attempt.retryInMs)),
      ],
    );
  }

  /** Milliseconds until the next pending callback is due, or null when none is pending. */
  async msUntilNextDue(): Promise<number | null> {
    const rows: { wait_ms: string | null }[] = await this.dataSource.query(
      `SELECT greatest(0, extract(epoch FROM min(next_attempt_at) - clock_timestamp()) * 1000)::bigint AS wait_ms
         FROM callback_deliveries WHERE status = 'PENDING'`,
    );
    return rows[0]?.wait_ms === null || rows[0]?.wait_ms === undefined ? null : Number(rows[0].wait_ms);
  }
}
