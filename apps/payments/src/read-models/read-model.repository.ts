import { Injectable } from '@nestjs/common';
import type { AwardSnapshot, ProgrammeSnapshot, StudentSnapshot } from '@scholarpay/contracts';
import type { EntityManager } from 'typeorm';
import type { AwardCandidate, LaterAward, PayeeView } from '../batches/batch-composition.rules';
import { queryOne, queryRows, toSafeNumber } from '../shared/sql';

type Db = Pick<EntityManager, 'query'>;

export interface ProgrammeView {
  programmeId: string;
  version: number;
  code: string;
  name: string;
  monthlyStipend: number;
  firstMonth: string;
  lastMonth: string;
  budget: number;
  maxAwards: number | null;
}

/**
 * The read models payments keeps from other services' events. Each upsert applies a snapshot
 * only if it is newer than what is stored (by the snapshot's version), so an old event that
 * arrives late never rolls a record back. Each returns whether it changed anything.
 */
@Injectable()
export class ReadModelRepository {
  async upsertProgramme(db: Db, programme: ProgrammeSnapshot): Promise<boolean> {
    const rows = await queryRows(
      db,
      `INSERT INTO programmes (programme_id, version, code, name, monthly_stipend, first_month, last_month, budget, max_awards, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
       ON CONFLICT (programme_id) DO UPDATE SET
         version = EXCLUDED.version, code = EXCLUDED.code, name = EXCLUDED.name, monthly_stipend = EXCLUDED.monthly_stipend,
         first_month = EXCLUDED.first_month, last_month = EXCLUDED.last_month, budget = EXCLUDED.budget,
         max_awards = EXCLUDED.max_awards, updated_at = now()
       WHERE programmes.version < EXCLUDED.version
       RETURNING programme_id`,
      [
        programme.programmeId,
        programme.version,
        programme.code,
        programme.name,
        programme.monthlyStipend,
        programme.firstMonth,
        programme.lastMonth,
        programme.budget,
        programme.maxAwards,
      ],
    );
    return rows.length > 0;
  }

  async upsertAward(db: Db, award: AwardSnapshot, reason: string): Promise<boolean> {
    const rows = await queryRows(
      db,
      `INSERT INTO awards (award_id, version, programme_id, programme_code, student_id, monthly_stipend, first_month, last_month, status, awarded_at, last_reason, revoked_in_month, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now())
       ON CONFLICT (award_id) DO UPDATE SET
         version = EXCLUDED.version, programme_id = EXCLUDED.programme_id, programme_code = EXCLUDED.programme_code,
         student_id = EXCLUDED.student_id, monthly_stipend = EXCLUDED.monthly_stipend, first_month = EXCLUDED.first_month,
         last_month = EXCLUDED.last_month, status = EXCLUDED.status, awarded_at = EXCLUDED.awarded_at,
         last_reason = EXCLUDED.last_reason, revoked_in_month = EXCLUDED.revoked_in_month, updated_at = now()
       WHERE awards.version < EXCLUDED.version
       RETURNING award_id`,
      [
        award.awardId,
        award.version,
        award.programmeId,
        award.programmeCode,
        award.studentId,
        award.monthlyStipend,
        award.firstMonth,
        award.lastMonth,
        award.status,
        award.awardedAt,
        reason,
        award.revokedInMonth ?? null,
      ],
    );
    return rows.length > 0;
  }

  async upsertPayee(db: Db, student: StudentSnapshot): Promise<boolean> {
    const rows = await queryRows(
      db,
      `INSERT INTO payees (student_id, version, full_name, phone, operator, status, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (student_id) DO UPDATE SET
         version = EXCLUDED.version, full_name = EXCLUDED.full_name, phone = EXCLUDED.phone,
         operator = EXCLUDED.operator, status = EXCLUDED.status, updated_at = now()
       WHERE payees.version < EXCLUDED.version
       RETURNING student_id`,
      [student.studentId, student.version, `${student.firstName} ${student.lastName}`, student.phone, student.operator, student.status],
    );
    return rows.length > 0;
  }

  async findProgramme(db: Db, programmeId: string, options: { lock?: boolean } = {}): Promise<ProgrammeView | undefined> {
    const row = await queryOne<Record<string, unknown>>(
      db,
      `SELECT programme_id, version, code, name, monthly_stipend::text, first_month, last_month, budget::text, max_awards
         FROM programmes WHERE programme_id = $1 ${options.lock ? 'FOR UPDATE' : ''}`,
      [programmeId],
    );
    if (!row) return undefined;
    return {
      programmeId: row.programme_id as string,
      version: row.version as number,
      code: row.code as string,
      name: row.name as string,
      monthlyStipend: toSafeNumber(row.monthly_stipend as string),
      firstMonth: row.first_month as string,
      lastMonth: row.last_month as string,
      budget: toSafeNumber(row.budget as string),
      maxAwards: (row.max_awards as number | null) ?? null,
    };
  }

  /** The programme's awards whose months include `month`, whatever their status, with their payee when known. */
  async findAwardsCoveringMonth(db: Db, programmeId: string, month: string): Promise<AwardWithPayee[]> {
    const rows = await queryRows<Record<string, unknown>>(
      db,
      `SELECT ${awardWithPayeeColumns}
         FROM awards a LEFT JOIN payees p ON p.student_id = a.student_id
        WHERE a.programme_id = $1 AND a.first_month <= $2 AND a.last_month >= $2
        ORDER BY a.award_id`,
      [programmeId, month],
    );
    return rows.map(awardWithPayeeFrom);
  }

  /** These awards as they stand now, with their payees, by award id. */
  async findAwardsWithPayees(db: Db, awardIds: readonly string[]): Promise<Map<string, AwardWithPayee>> {
    const rows = await queryRows<Record<string, unknown>>(
      db,
      `SELECT ${awardWithPayeeColumns} FROM awards a LEFT JOIN payees p ON p.student_id = a.student_id WHERE a.award_id = ANY($1::uuid[])`,
      [awardIds],
    );
    return new Map(rows.map((row) => [row.award_id as string, awardWithPayeeFrom(row)]));
  }

  /**
   * For each of these awards revoked in `month`, the student's other awards in the same programme
   * starting after that month (whether the revocation was undone is the composition rules' call).
   * One query for a whole batch; awards with none are absent.
   */
  async findAwardsAfterRevocation(db: Db, month: string, awardIds: readonly string[]): Promise<Map<string, LaterAward[]>> {
    const later = new Map<string, LaterAward[]>();
    if (awardIds.length === 0) return later;
    const rows = await queryRows<{ award_id: string; first_month: string; status: LaterAward['status'] }>(
      db,
      `SELECT r.award_id, s.first_month, s.status
         FROM awards r
         JOIN awards s ON s.programme_id = r.programme_id AND s.student_id = r.student_id AND s.award_id <> r.award_id
        WHERE r.award_id = ANY($1::uuid[]) AND r.status = 'revoked' AND r.revoked_in_month = $2 AND s.first_month > $2`,
      [awardIds, month],
    );
    for (const row of rows) {
      const list = later.get(row.award_id) ?? [];
      list.push({ firstMonth: row.first_month, status: row.status });
      later.set(row.award_id, list);
    }
    return later;
  }
}

export interface AwardWithPayee {
  award: AwardCandidate;
  payee: PayeeView | undefined;
}

const awardWithPayeeColumns = `a.award_id, a.student_id, a.monthly_stipend::text, a.first_month, a.last_month, a.status, a.revoked_in_month,
       p.student_id AS payee_id, p.full_name, p.phone, p.operator, p.status AS payee_status`;

function awardWithPayeeFrom(row: Record<string, unknown>): AwardWithPayee {
  return {
    award: {
      awardId: row.award_id as string,
      studentId: row.student_id as string,
      monthlyStipend: toSafeNumber(row.monthly_stipend as string),
      firstMonth: row.first_month as string,
      lastMonth: row.last_month as string,
      status: row.status as AwardCandidate['status'],
      revokedInMonth: (row.revoked_in_month as string | null) ?? null,
    },
    payee: row.payee_id
      ? {
          studentId: row.payee_id as string,
          fullName: row.full_name as string,
          phone: (row.phone as string | null) ?? null,
          operator: (row.operator as PayeeView['operator']) ?? null,
          status: row.payee_status as PayeeView['status'],
        }
      : undefined,
  };
}
