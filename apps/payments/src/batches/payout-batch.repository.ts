import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { chunks, queryOne, queryRows, toSafeNumber } from '../shared/sql';
import type { PreparerAction } from './batch-approval.rules';
import type { ExclusionReason, LiveLine } from './batch-composition.rules';
import type { BatchSummary } from './payout-batch.entities';
import type { BatchState } from './payout-batch.state-machine';
import type { LineStatus } from './payout-line.state-machine';

type Db = Pick<EntityManager, 'query'>;

export interface PayoutBatch {
  id: string;
  programmeId: string;
  programmeCode: string;
  month: string;
  state: BatchState;
  lineCount: number;
  totalAmount: number;
  excludedCount: number;
  createdBy: string;
  createdAt: Date;
  submittedBy: string | null;
  submittedAt: Date | null;
  approvedBy: string | null;
  approvedAt: Date | null;
  rejectedBy: string | null;
  rejectedAt: Date | null;
  rejectionReason: string | null;
  disbursementStartedAt: Date | null;
  completedAt: Date | null;
  summary: BatchSummary | null;
}

export interface NewLine {
  id: string;
  awardId: string;
  studentId: string;
  amount: number;
  phone: string;
  operator: string | null;
  payeeName: string;
}

export interface NewExclusion {
  awardId: string;
  studentId: string;
  reason: ExclusionReason;
  detail: string;
}

export interface AuditEntry {
  action: string;
  fromState: BatchState | null;
  toState: BatchState;
  actor: string;
  reason: string | null;
  details: Record<string, unknown> | null;
  at: Date;
}

export interface LineListItem {
  id: string;
  awardId: string;
  studentId: string;
  payeeName: string;
  phone: string;
  operator: string | null;
  amount: number;
  status: LineStatus;
  attempts: number;
  providerTransactionId: string | null;
  reasonCode: string | null;
  reason: string | null;
  firstSentAt: Date | null;
  completedAt: Date | null;
  smsSentAt: Date | null;
}

export interface CommitLine {
  id: string;
  batchId: string;
  awardId: string;
  programmeId: string;
  studentId: string;
  amount: number;
  month: string;
}

const batchColumns = `id, programme_id, programme_code, month, state, line_count, total_amount::text, excluded_count, created_by, created_at,
  submitted_by, submitted_at, approved_by, approved_at, rejected_by, rejected_at, rejection_reason, disbursement_started_at,
  completed_at, summary`;

/** Batches, their lines, exclusions and audit trail. Bulk writes use unnest so a 100,000-line batch is a few statements. */
@Injectable()
export class PayoutBatchRepository {
  async insertBatch(db: Db, batch: Pick<PayoutBatch, 'id' | 'programmeId' | 'programmeCode' | 'month' | 'lineCount' | 'totalAmount' | 'excludedCount' | 'createdBy'>): Promise<void> {
    await db.query(
      `INSERT INTO payout_batches (id, programme_id, programme_code, month, state, line_count, total_amount, excluded_count, created_by)
       VALUES ($1, $2, $3, $4, 'DRAFT', $5, $6, $7, $8)`,
      [batch.id, batch.programmeId, batch.programmeCode, batch.month, batch.lineCount, batch.totalAmount, batch.excludedCount, batch.createdBy],
    );
  }

  async insertLines(db: Db, batch: { id: string; programmeId: string; month: string }, lines: readonly NewLine[]): Promise<void> {
    for (const part of chunks(lines, 5000)) {
      await db.query(
        `INSERT INTO payout_lines (id, batch_id, programme_id, award_id, student_id, month, amount, phone, operator, payee_name, status)
         SELECT id, $1, $2, award_id, student_id, $3, amount, phone, operator, payee_name, 'PENDING'
           FROM unnest($4::uuid[], $5::uuid[], $6::uuid[], $7::bigint[], $8::text[], $9::text[], $10::text[])
             AS t(id, award_id, student_id, amount, phone, operator, payee_name)`,
        [
          batch.id,
          batch.programmeId,
          batch.month,
          part.map((line) => line.id),
          part.map((line) => line.awardId),
          part.map((line) => line.studentId),
          part.map((line) => String(line.amount)),
          part.map((line) => line.phone),
          part.map((line) => line.operator),
          part.map((line) => line.payeeName),
        ],
      );
    }
  }

  async replaceExclusions(db: Db, batchId: string, exclusions: readonly NewExclusion[]): Promise<void> {
    await db.query(`DELETE FROM payout_batch_exclusions WHERE batch_id = $1`, [batchId]);
    await this.addExclusions(db, batchId, exclusions);
  }

  async addExclusions(db: Db, batchId: string, exclusions: readonly NewExclusion[]): Promise<void> {
    for (const part of chunks(exclusions, 5000)) {
      await db.query(
        `INSERT INTO payout_batch_exclusions (batch_id, award_id, student_id, reason_code, detail)
         SELECT $1, award_id, student_id, reason_code, detail FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[])
           AS t(award_id, student_id, reason_code, detail)`,
        [batchId, part.map((e) => e.awardId), part.map((e) => e.studentId), part.map((e) => e.reason), part.map((e) => e.detail)],
      );
    }
  }

  async appendAudit(db: Db, batchId: string, entry: Omit<AuditEntry, 'at'>): Promise<void> {
    await db.query(
      `INSERT INTO payout_batch_audit (batch_id, action, from_state, to_state, actor, reason, details) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [batchId, entry.action, entry.fromState, entry.toState, entry.actor, entry.reason, entry.details ? JSON.stringify(entry.details) : null],
    );
  }

  async findById(db: Db, batchId: string, options: { lock?: boolean } = {}): Promise<PayoutBatch | undefined> {
    const row = await queryOne<Record<string, unknown>>(
      db,
      `SELECT ${batchColumns} FROM payout_batches WHERE id = $1 ${options.lock ? 'FOR UPDATE' : ''}`,
      [batchId],
    );
    return row ? toBatch(row) : undefined;
  }

  async findByStates(db: Db, states: readonly BatchState[]): Promise<PayoutBatch[]> {
    const rows = await queryRows<Record<string, unknown>>(db, `SELECT ${batchColumns} FROM payout_batches WHERE state = ANY($1) ORDER BY created_at`, [states]);
    return rows.map(toBatch);
  }

  async list(db: Db, filter: { programmeId?: string; month?: string; state?: BatchState; limit: number }): Promise<PayoutBatch[]> {
    const rows = await queryRows<Record<string, unknown>>(
      db,
      `SELECT ${batchColumns} FROM payout_batches
        WHERE ($1::uuid IS NULL OR programme_id = $1) AND ($2::text IS NULL OR month = $2) AND ($3::text IS NULL OR state = $3)
        ORDER BY created_at DESC LIMIT $4`,
      [filter.programmeId ?? null, filter.month ?? null, filter.state ?? null, filter.limit],
    );
    return rows.map(toBatch);
  }

  /** Moves the batch from `from` to `to` and sets the given columns, only if it is still in `from`. */
  async transition(db: Db, batchId: string, from: BatchState, to: BatchState, set: Record<string, unknown> = {}): Promise<boolean> {
    const columns = Object.keys(set);
    for (const column of columns) if (!/^[a-z_]+$/.test(column)) throw new Error(`bad column ${column}`);
    const assignments = columns.map((column, index) => `${column} = $${index + 4}`);
    const rows = await queryRows(
      db,
      `UPDATE payout_batches SET state = $3, updated_at = now()${assignments.length ? `, ${assignments.join(', ')}` : ''}
        WHERE id = $1 AND state = $2 RETURNING id`,
      [batchId, from, to, ...columns.map((column) => set[column])],
    );
    return rows.length === 1;
  }

  async updateTotals(db: Db, batchId: string, totals: { lineCount: number; totalAmount: number; excludedCount: number }): Promise<void> {
    await db.query(`UPDATE payout_batches SET line_count = $2, total_amount = $3, excluded_count = $4, updated_at = now() WHERE id = $1`, [
      batchId,
      totals.lineCount,
      totals.totalAmount,
      totals.excludedCount,
    ]);
  }

  /** The lines of these students for the month that still hold their (student, month) slot, by student, in any programme. */
  async findLiveLines(db: Db, month: string, studentIds: readonly string[]): Promise<Map<string, LiveLine>> {
    const rows = await queryRows<{ student_id: string; batch_id: string; status: string }>(
      db,
      `SELECT student_id, batch_id, status FROM payout_lines
        WHERE student_id = ANY($2::uuid[]) AND month = $1 AND status NOT IN ('FAILED', 'RELEASED')`,
      [month, studentIds],
    );
    return new Map(rows.map((row) => [row.student_id, { batchId: row.batch_id, status: row.status }]));
  }

  /** Gives back the slots of these unsent lines of a batch (no longer payable when the batch is approved). */
  async releaseLines(db: Db, batchId: string, lineIds: readonly string[]): Promise<number> {
    const rows = await queryRows(
      db,
      `UPDATE payout_lines SET status = 'RELEASED', next_check_at = NULL, updated_at = now()
        WHERE batch_id = $1 AND id = ANY($2::uuid[]) AND status = 'PENDING' RETURNING id`,
      [batchId, lineIds],
    );
    return rows.length;
  }

  /** Gives back the (student, month) slots of a batch's unsent lines (cancelled, closed or rebuilt batch). */
  async releasePendingLines(db: Db, batchId: string): Promise<number> {
    const rows = await queryRows(
      db,
      `UPDATE payout_lines SET status = 'RELEASED', next_check_at = NULL, updated_at = now()
        WHERE batch_id = $1 AND status = 'PENDING' RETURNING id`,
      [batchId],
    );
    return rows.length;
  }

  async preparers(db: Db, batchId: string): Promise<PreparerAction[]> {
    return queryRows<PreparerAction>(
      db,
      `SELECT DISTINCT actor, action FROM payout_batch_audit WHERE batch_id = $1 AND action IN ('created', 'reopened', 'submitted')`,
      [batchId],
    );
  }

  async auditTrail(db: Db, batchId: string): Promise<AuditEntry[]> {
    const rows = await queryRows<Record<string, unknown>>(
      db,
      `SELECT action, from_state, to_state, actor, reason, details, at FROM payout_batch_audit WHERE batch_id = $1 ORDER BY id`,
      [batchId],
    );
    return rows.map((row) => ({
      action: row.action as string,
      fromState: (row.from_state as BatchState | null) ?? null,
      toState: row.to_state as BatchState,
      actor: row.actor as string,
      reason: (row.reason as string | null) ?? null,
      details: (row.details as Record<string, unknown> | null) ?? null,
      at: row.at as Date,
    }));
  }

  async lineTotalsByStatus(db: Db, batchId: string): Promise<Partial<Record<LineStatus, { count: number; amount: number }>>> {
    const rows = await queryRows<{ status: LineStatus; count: number; amount: string }>(
      db,
      `SELECT status, count(*)::int AS count, sum(amount)::text AS amount FROM payout_lines WHERE batch_id = $1 GROUP BY status`,
      [batchId],
    );
    return Object.fromEntries(rows.map((row) => [row.status, { count: row.count, amount: toSafeNumber(row.amount) }]));
  }

  async smsSentCount(db: Db, batchId: string): Promise<number> {
    const row = await queryOne<{ count: number }>(db, `SELECT count(*)::int AS count FROM payout_lines WHERE batch_id = $1 AND sms_sent_at IS NOT NULL`, [batchId]);
    return row?.count ?? 0;
  }

  async exclusions(db: Db, batchId: string, limit: number): Promise<{ total: number; byReason: Record<string, number>; items: NewExclusion[] }> {
    const counts = await queryRows<{ reason_code: string; count: number }>(
      db,
      `SELECT reason_code, count(*)::int AS count FROM payout_batch_exclusions WHERE batch_id = $1 GROUP BY reason_code ORDER BY reason_code`,
      [batchId],
    );
    const items = await queryRows<{ award_id: string; student_id: string; reason_code: ExclusionReason; detail: string }>(
      db,
      `SELECT award_id, student_id, reason_code, detail FROM payout_batch_exclusions WHERE batch_id = $1 ORDER BY reason_code, student_id LIMIT $2`,
      [batchId, limit],
    );
    return {
      total: counts.reduce((sum, row) => sum + row.count, 0),
      byReason: Object.fromEntries(counts.map((row) => [row.reason_code, row.count])),
      items: items.map((row) => ({ awardId: row.award_id, studentId: row.student_id, reason: row.reason_code, detail: row.detail })),
    };
  }

  async listLines(db: Db, batchId: string, filter: { status?: LineStatus; after?: string; limit: number }): Promise<LineListItem[]> {
    const rows = await queryRows<Record<string, unknown>>(
      db,
      `SELECT id, award_id, student_id, payee_name, phone, operator, amount::text, status, attempts, provider_transaction_id,
              reason_code, reason, first_sent_at, completed_at, sms_sent_at
         FROM payout_lines
        WHERE batch_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::uuid IS NULL OR id > $3)
        ORDER BY id LIMIT $4`,
      [batchId, filter.status ?? null, filter.after ?? null, filter.limit],
    );
    return rows.map((row) => ({
      id: row.id as string,
      awardId: row.award_id as string,
      studentId: row.student_id as string,
      payeeName: row.payee_name as string,
      phone: row.phone as string,
      operator: (row.operator as string | null) ?? null,
      amount: toSafeNumber(row.amount as string),
      status: row.status as LineStatus,
      attempts: row.attempts as number,
      providerTransactionId: (row.provider_transaction_id as string | null) ?? null,
      reasonCode: (row.reason_code as string | null) ?? null,
      reason: (row.reason as string | null) ?? null,
      firstSentAt: (row.first_sent_at as Date | null) ?? null,
      completedAt: (row.completed_at as Date | null) ?? null,
      smsSentAt: (row.sms_sent_at as Date | null) ?? null,
    }));
  }

  async linesToCommit(db: Db, batchId: string): Promise<CommitLine[]> {
    const rows = await queryRows<{ id: string; batch_id: string; award_id: string; programme_id: string; student_id: string; amount: string; month: string }>(
      db,
      `SELECT id, batch_id, award_id, programme_id, student_id, amount::text, month FROM payout_lines WHERE batch_id = $1 AND status = 'PENDING' ORDER BY id`,
      [batchId],
    );
    return rows.map((row) => ({
      id: row.id,
      batchId: row.batch_id,
      awardId: row.award_id,
      programmeId: row.programme_id,
      studentId: row.student_id,
      amount: toSafeNumber(row.amount),
      month: row.month,
    }));
  }

  /** Approved money other batches have not sent to the provider yet (the float must cover it too). */
  async unsentApprovedAmount(db: Db, excludingBatchId: string): Promise<number> {
    const row = await queryOne<{ amount: string | null }>(
      db,
      `SELECT sum(l.amount)::text AS amount FROM payout_lines l JOIN payout_batches b ON b.id = l.batch_id
        WHERE b.state IN ('APPROVED', 'DISBURSING') AND b.id <> $1 AND l.status = 'PENDING'`,
      [excludingBatchId],
    );
    return toSafeNumber(row?.amount ?? 0);
  }

  /** Lines of a batch the disbursement still has work for: not final, or paid without their SMS yet. */
  async lineIdsToAdvance(db: Db, batchId: string): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      db,
      `SELECT id FROM payout_lines
        WHERE batch_id = $1
          AND (status IN ('PENDING', 'SUBMITTED', 'UNKNOWN') OR (status = 'PAID' AND sms_sent_at IS NULL AND sms_failure IS NULL))
        ORDER BY id`,
      [batchId],
    );
    return rows.map((row) => row.id);
  }

  /** Schedules every unsent line of an approved batch for the poller's safety net. */
  async scheduleLines(db: Db, batchId: string, at: Date): Promise<void> {
    await db.query(`UPDATE payout_lines SET next_check_at = $2, updated_at = now() WHERE batch_id = $1 AND status = 'PENDING'`, [batchId, at]);
  }
}

function toBatch(row: Record<string, unknown>): PayoutBatch {
  return {
    id: row.id as string,
    programmeId: row.programme_id as string,
    programmeCode: row.programme_code as string,
    month: row.month as string,
    state: row.state as BatchState,
    lineCount: row.line_count as number,
    totalAmount: toSafeNumber(row.total_amount as string),
    excludedCount: row.excluded_count as number,
    createdBy: row.created_by as string,
    createdAt: row.created_at as Date,
    submittedBy: (row.submitted_by as string | null) ?? null,
    submittedAt: (row.submitted_at as Date | null) ?? null,
    approvedBy: (row.approved_by as string | null) ?? null,
    approvedAt: (row.approved_at as Date | null) ?? null,
    rejectedBy: (row.rejected_by as string | null) ?? null,
    rejectedAt: (row.rejected_at as Date | null) ?? null,
    rejectionReason: (row.rejection_reason as string | null) ?? null,
    disbursementStartedAt: (row.disbursement_started_at as Date | null) ?? null,
    completedAt: (row.completed_at as Date | null) ?? null,
    summary: (row.summary as BatchSummary | null) ?? null,
  };
}
