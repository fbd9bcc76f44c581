import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows, toSafeNumber } from '../shared/sql';
import { AwardEntity, AwardPaidMonthEntity, AwardTransitionEntity } from './award.entity';
import type { AwardStatus } from './award.state-machine';

interface AwardRow extends Omit<AwardEntity, 'monthlyStipend' | 'committedAmount'> {
  monthlyStipend: string;
  committedAmount: string;
}

export interface AwardListItem extends AwardEntity {
  firstName: string;
  lastName: string;
  schoolCode: string;
}

const columns = (alias = '') => {
  const a = alias ? `${alias}.` : '';
  return `${a}award_id AS "awardId", ${a}programme_id AS "programmeId", ${a}student_id AS "studentId", ${a}version, ${a}status,
  ${a}monthly_stipend AS "monthlyStipend", ${a}first_month AS "firstMonth", ${a}last_month AS "lastMonth",
  ${a}committed_amount AS "committedAmount", ${a}awarded_at AS "awardedAt", ${a}awarded_by AS "awardedBy",
  ${a}status_reason AS "statusReason", ${a}status_changed_by AS "statusChangedBy", ${a}status_changed_at AS "statusChangedAt",
  ${a}revoked_in_month AS "revokedInMonth", ${a}last_paid_month AS "lastPaidMonth"`;
};

/**
 * The last month an award covers, in SQL, or NULL when it covers none (what
 * `AwardCapacity.lastMonthCovered` says): a live award runs to its last month, a revoked one keeps
 * the months through the month of revocation, or through the last month paid when that is later.
 * Months are YYYY-MM text, so text order is month order (GREATEST ignores NULLs).
 */
export function lastMonthCoveredSql(alias: string): string {
  const a = alias;
  return `(CASE WHEN ${a}.status <> 'revoked' OR ${a}.revoked_in_month IS NULL THEN ${a}.last_month
    ELSE GREATEST(${a}.last_paid_month, CASE WHEN ${a}.revoked_in_month < ${a}.first_month THEN NULL
      ELSE LEAST(${a}.revoked_in_month, ${a}.last_month) END) END)`;
}

function toEntity<T extends AwardRow>(row: T): AwardEntity & Omit<T, keyof AwardRow> {
  return Object.assign(new AwardEntity(), {
    ...row,
    monthlyStipend: toSafeNumber(row.monthlyStipend),
    committedAmount: toSafeNumber(row.committedAmount),
  });
}

@Injectable()
export class AwardRepository {
  /** The students' live (active or suspended) awards in the programme. */
  async findLive(
    manager: EntityManager,
    programmeId: string,
    studentIds: string[],
  ): Promise<Map<string, AwardEntity>> {
    if (studentIds.length === 0) return new Map();
    const rows = await queryRows<AwardRow>(
      manager,
      `SELECT ${columns()} FROM awards WHERE programme_id = $1 AND student_id = ANY($2::uuid[]) AND status <> 'revoked'`,
      [programmeId, studentIds],
    );
    return new Map(rows.map((row) => [row.studentId, toEntity(row)]));
  }

  /** One award, locked: the caller (a payout) changes what it commits. */
  async lockById(manager: EntityManager, awardId: string): Promise<AwardEntity | null> {
    const rows = await queryRows<AwardRow>(
      manager,
      `SELECT ${columns()} FROM awards WHERE award_id = $1 FOR UPDATE`,
      [awardId],
    );
    return rows[0] ? toEntity(rows[0]) : null;
  }

  /**
   * Records a month payments paid the award for. False when that month was already recorded (the
   * same payout learnt again): nothing changes then.
   */
  async recordPaidMonth(
    manager: EntityManager,
    paid: Omit<AwardPaidMonthEntity, 'recordedAt'>,
  ): Promise<boolean> {
    const inserted = await queryRows<{ awardId: string }>(
      manager,
      `INSERT INTO award_paid_months (award_id, month, payout_id, amount, paid_at, event_id)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING award_id AS "awardId"`,
      [paid.awardId, paid.month, paid.payoutId, paid.amount, paid.paidAt, paid.eventId],
    );
    return inserted.length > 0;
  }

  async paidMonth(
    manager: EntityManager,
    awardId: string,
    month: string,
  ): Promise<Pick<AwardPaidMonthEntity, 'payoutId'> | null> {
    const rows = await queryRows<{ payoutId: string }>(
      manager,
      'SELECT payout_id AS "payoutId" FROM award_paid_months WHERE award_id = $1 AND month = $2',
      [awardId, month],
    );
    return rows[0] ?? null;
  }

  /** Writes what a payout changed on its award: the latest month paid and what it commits (not a transition: no new version). */
  async recordPayment(
    manager: EntityManager,
    award: Pick<AwardEntity, 'awardId' | 'lastPaidMonth' | 'committedAmount'>,
  ): Promise<void> {
    await manager.query('UPDATE awards SET last_paid_month = $2, committed_amount = $3 WHERE award_id = $1', [
      award.awardId,
      award.lastPaidMonth,
      award.committedAmount,
    ]);
  }

  async findForStudent(manager: EntityManager, studentId: string): Promise<AwardEntity[]> {
    const rows = await queryRows<AwardRow>(
      manager,
      `SELECT ${columns()} FROM awards WHERE student_id = $1 ORDER BY awarded_at DESC`,
      [studentId],
    );
    return rows.map(toEntity);
  }

  async insertAll(manager: EntityManager, awards: AwardEntity[]): Promise<void> {
    if (awards.length === 0) return;
    await manager.query(
      `INSERT INTO awards (award_id, programme_id, student_id, version, status, monthly_stipend, first_month, last_month,
         committed_amount, awarded_at, awarded_by, status_reason, status_changed_by, status_changed_at, revoked_in_month)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::text[], $6::bigint[], $7::text[], $8::text[],
         $9::bigint[], $10::timestamptz[], $11::text[], $12::text[], $13::text[], $14::timestamptz[], $15::text[])`,
      [
        awards.map((a) => a.awardId),
        awards.map((a) => a.programmeId),
        awards.map((a) => a.studentId),
        awards.map((a) => a.version),
        awards.map((a) => a.status),
        awards.map((a) => a.monthlyStipend),
        awards.map((a) => a.firstMonth),
        awards.map((a) => a.lastMonth),
        awards.map((a) => a.committedAmount),
        awards.map((a) => a.awardedAt),
        awards.map((a) => a.awardedBy),
        awards.map((a) => a.statusReason),
        awards.map((a) => a.statusChangedBy),
        awards.map((a) => a.statusChangedAt),
        awards.map((a) => a.revokedInMonth),
      ],
    );
  }

  /**
   * Writes awards' new status. Each update names the version it replaces, so a lost race would
   * change nothing and fail loudly instead of overwriting a newer state.
   */
  async updateAll(manager: EntityManager, awards: AwardEntity[]): Promise<void> {
    if (awards.length === 0) return;
    const updated = await queryRows<{ awardId: string }>(
      manager,
      `UPDATE awards a SET version = u.version, status = u.status, committed_amount = u.committed_amount,
         status_reason = u.status_reason, status_changed_by = u.status_changed_by, status_changed_at = u.status_changed_at,
         revoked_in_month = u.revoked_in_month
       FROM unnest($1::uuid[], $2::int[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::timestamptz[], $8::text[])
         AS u(award_id, version, status, committed_amount, status_reason, status_changed_by, status_changed_at, revoked_in_month)
       WHERE a.award_id = u.award_id AND a.version = u.version - 1
       RETURNING a.award_id AS "awardId"`,
      [
        awards.map((a) => a.awardId),
        awards.map((a) => a.version),
        awards.map((a) => a.status),
        awards.map((a) => a.committedAmount),
        awards.map((a) => a.statusReason),
        awards.map((a) => a.statusChangedBy),
        awards.map((a) => a.statusChangedAt),
        awards.map((a) => a.revokedInMonth),
      ],
    );
    if (updated.length !== awards.length) {
      throw new Error(
        `award update lost a race: ${awards.length - updated.length} of ${awards.length} awards changed underneath`,
      );
    }
  }

  async recordTransitions(manager: EntityManager, transitions: AwardTransitionEntity[]): Promise<void> {
    if (transitions.length === 0) return;
    await manager.query(
      `INSERT INTO award_transitions (award_id, version, transition, from_status, to_status, reason, changed_by, changed_at, event_id)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::uuid[])`,
      [
        transitions.map((t) => t.awardId),
        transitions.map((t) => t.version),
        transitions.map((t) => t.transition),
        transitions.map((t) => t.fromStatus),
        transitions.map((t) => t.toStatus),
        transitions.map((t) => t.reason),
        transitions.map((t) => t.changedBy),
        transitions.map((t) => t.changedAt),
        transitions.map((t) => t.eventId),
      ],
    );
  }

  async transitionsOf(manager: EntityManager, awardIds: string[]): Promise<AwardTransitionEntity[]> {
    if (awardIds.length === 0) return [];
    return queryRows<AwardTransitionEntity>(
      manager,
      `SELECT award_id AS "awardId", version, transition, from_status AS "fromStatus", to_status AS "toStatus", reason,
         changed_by AS "changedBy", changed_at AS "changedAt", event_id AS "eventId"
       FROM award_transitions WHERE award_id = ANY($1::uuid[]) ORDER BY award_id, version`,
      [awardIds],
    );
  }

  /** A page of a programme's awards in the order they were made (keyset on awarded_at, award_id). */
  async pageForProgramme(
    manager: EntityManager,
    programmeId: string,
    filter: {
      status: AwardStatus | null;
      after: { awardedAt: string; awardId: string } | null;
      limit: number;
    },
  ): Promise<AwardListItem[]> {
    const rows = await queryRows<AwardRow & { firstName: string; lastName: string; schoolCode: string }>(
      manager,
      `SELECT ${columns('a')}, s.first_name AS "firstName", s.last_name AS "lastName", s.school_code AS "schoolCode"
         FROM awards a JOIN students s ON s.student_id = a.student_id
        WHERE a.programme_id = $1
          AND ($2::text IS NULL OR a.status = $2::text)
          AND ($3::timestamptz IS NULL OR (a.awarded_at, a.award_id) > ($3::timestamptz, $4::uuid))
        ORDER BY a.awarded_at, a.award_id
        LIMIT $5`,
      [
        programmeId,
        filter.status,
        filter.after?.awardedAt ?? null,
        filter.after?.awardId ?? null,
        filter.limit,
      ],
    );
    return rows.map((row) => toEntity(row) as AwardListItem);
  }

  async countByStatus(manager: EntityManager, programmeId: string): Promise<Record<AwardStatus, number>> {
    const rows = await queryRows<{ status: AwardStatus; count: number }>(
      manager,
      'SELECT status, count(*)::int AS count FROM awards WHERE programme_id = $1 GROUP BY status',
      [programmeId],
    );
    const counts: Record<AwardStatus, number> = { active: 0, suspended: 0, revoked: 0 };
    for (const row of rows) counts[row.status] = row.count;
    return counts;
  }
}
