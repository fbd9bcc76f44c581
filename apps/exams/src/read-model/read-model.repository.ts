import { Injectable } from '@nestjs/common';
import type { AwardSnapshot, StudentSnapshot } from '@scholarpay/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { normaliseNationalId } from '../results/exam-result.rules';

/** What a result needs to know of its student to be stratified. */
export interface StudentAttributes {
  readonly studentId: string;
  readonly schoolCode: string;
  readonly regionOfOrigin: string;
  readonly intakeYear: number;
}

export interface StipendPayoutFact {
  readonly payoutId: string;
  readonly studentId: string;
  readonly awardId: string;
  readonly programmeId: string;
  readonly month: string;
  readonly amount: number;
  readonly completedAt: string;
}

/**
 * The local copy of other services' facts that the evaluation needs: students (for national-id
 * look-up and strata), awards and successful stipend payouts (for who is a recipient). Written only
 * by the event handlers; snapshots carry a version and an older one never overwrites a newer one.
 */
@Injectable()
export class ReadModelRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores the snapshot unless a newer version is already there; true when it was applied. */
  async applyStudentSnapshot(manager: EntityManager, student: StudentSnapshot): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO students (student_id, version, national_id, school_id, school_code, region_of_origin, intake_year, status, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
       ON CONFLICT (student_id) DO UPDATE SET
         version = EXCLUDED.version, national_id = EXCLUDED.national_id, school_id = EXCLUDED.school_id,
         school_code = EXCLUDED.school_code, region_of_origin = EXCLUDED.region_of_origin,
         intake_year = EXCLUDED.intake_year, status = EXCLUDED.status, updated_at = now()
       WHERE students.version < EXCLUDED.version
       RETURNING student_id`,
      [
        student.studentId,
        student.version,
        normaliseNationalId(student.nationalId),
        student.schoolId,
        student.schoolCode,
        student.regionOfOrigin,
        student.intakeYear,
        student.status,
      ],
    );
    return rows.length > 0;
  }

  /** Stores the award snapshot unless a newer version is already there; true when it was applied. */
  async applyAwardSnapshot(manager: EntityManager, award: AwardSnapshot): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO awards (award_id, version, student_id, programme_id, programme_code, status, awarded_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (award_id) DO UPDATE SET
         version = EXCLUDED.version, student_id = EXCLUDED.student_id, programme_id = EXCLUDED.programme_id,
         programme_code = EXCLUDED.programme_code, status = EXCLUDED.status, awarded_at = EXCLUDED.awarded_at,
         updated_at = now()
       WHERE awards.version < EXCLUDED.version
       RETURNING award_id`,
      [
        award.awardId,
        award.version,
        award.studentId,
        award.programmeId,
        award.programmeCode,
        award.status,
        award.awardedAt,
      ],
    );
    return rows.length > 0;
  }

  /** Records a successful payout once (payout ids are unique); true when it was new. */
  async recordPayout(manager: EntityManager, payout: StipendPayoutFact): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO stipend_payouts (payout_id, student_id, award_id, programme_id, month, amount, completed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (payout_id) DO NOTHING
       RETURNING payout_id`,
      [
        payout.payoutId,
        payout.studentId,
        payout.awardId,
        payout.programmeId,
        payout.month,
        payout.amount,
        payout.completedAt,
      ],
    );
    return rows.length > 0;
  }

  /** The students' attributes, for those the read model knows. */
  async findStudents(
    manager: EntityManager,
    studentIds: readonly string[],
  ): Promise<Map<string, StudentAttributes>> {
    if (studentIds.length === 0) return new Map();
    const rows: { student_id: string; school_code: string; region_of_origin: string; intake_year: number }[] =
      await manager.query(
        `SELECT student_id, school_code, region_of_origin, intake_year FROM students WHERE student_id = ANY($1::uuid[])`,
        [studentIds],
      );
    return new Map(
      rows.map((row) => [
        row.student_id,
        {
          studentId: row.student_id,
          schoolCode: row.school_code,
          regionOfOrigin: row.region_of_origin,
          intakeYear: row.intake_year,
        },
      ]),
    );
  }

  /** Student ids by normalised national id; more than one id means the read model is ambiguous. */
  async findStudentIdsByNationalIds(nationalIds: readonly string[]): Promise<Map<string, string[]>> {
    const normalised = [...new Set(nationalIds.map(normaliseNationalId))];
    const found = new Map<string, string[]>();
    if (normalised.length === 0) return found;
    const rows: { national_id: string; student_id: string }[] = await this.dataSource.query(
      `SELECT national_id, student_id FROM students WHERE national_id = ANY($1::text[]) ORDER BY student_id`,
      [normalised],
    );
    for (const row of rows)
      found.set(row.national_id, [...(found.get(row.national_id) ?? []), row.student_id]);
    return found;
  }

  /**
   * Distinct stipend months each student was paid before `cutoff`, counting payouts of an award
   * that was granted before the cutoff. Students without any are absent (0 months).
   */
  async stipendMonthsBefore(
    manager: EntityManager,
    studentIds: readonly string[],
    cutoff: Date,
  ): Promise<Map<string, number>> {
    if (studentIds.length === 0) return new Map();
    const rows: { student_id: string; months: number }[] = await manager.query(
      `SELECT p.student_id, count(DISTINCT p.month)::int AS months
         FROM stipend_payouts p
         JOIN awards a ON a.award_id = p.award_id AND a.student_id = p.student_id
        WHERE p.student_id = ANY($1::uuid[]) AND p.completed_at < $2 AND a.awarded_at < $2
        GROUP BY p.student_id`,
      [studentIds, cutoff],
    );
    return new Map(rows.map((row) => [row.student_id, row.months]));
  }

  /** Copies the student's current attributes onto their results (strata follow enrolment's latest snapshot). */
  async refreshResultAttributes(manager: EntityManager, studentId: string): Promise<number> {
    const [, affected] = (await manager.query(
      `UPDATE exam_results r
          SET student_known = true, school_code = s.school_code, region_of_origin = s.region_of_origin, intake_year = s.intake_year
         FROM students s
        WHERE s.student_id = $1 AND r.student_id = s.student_id
          AND (r.student_known IS DISTINCT FROM true OR r.school_code IS DISTINCT FROM s.school_code
               OR r.region_of_origin IS DISTINCT FROM s.region_of_origin OR r.intake_year IS DISTINCT FROM s.intake_year)`,
      [studentId],
    )) as [unknown, number];
    return affected;
  }

  /**
   * Recomputes recipient status and stipend months of every result of the student, each against
   * its own session's cutoff: a payout or award event may arrive after the result was recorded.
   */
  async refreshResultExposure(manager: EntityManager, studentId: string): Promise<number> {
    const [, affected] = (await manager.query(
      `UPDATE exam_results r
          SET stipend_months = e.months, recipient = e.months > 0
         FROM (
           SELECT r2.id,
                  (SELECT count(DISTINCT p.month)::int
                     FROM stipend_payouts p
                     JOIN awards a ON a.award_id = p.award_id AND a.student_id = p.student_id
                    WHERE p.student_id = r2.student_id
                      AND p.completed_at < s.stipend_cutoff AND a.awarded_at < s.stipend_cutoff) AS months
             FROM exam_results r2
             JOIN exam_sessions s ON s.id = r2.session_id
            WHERE r2.student_id = $1
         ) e
        WHERE r.id = e.id AND r.stipend_months IS DISTINCT FROM e.months`,
      [studentId],
    )) as [unknown, number];
    return affected;
  }
}

/**
 * Serialises everything that touches one student's results (recording a result, applying an event
 * about the student) so a result recorded while a payout event is being applied cannot miss it.
 * Transaction-scoped advisory locks, taken in a fixed order so two batches never deadlock.
 */
export async function lockStudents(manager: EntityManager, studentIds: readonly string[]): Promise<void> {
  if (studentIds.length === 0) return;
  await manager.query(
    `SELECT count(pg_advisory_xact_lock(k)) FROM (
       SELECT DISTINCT hashtextextended('exams:student:' || id::text, 0) AS k FROM unnest($1::uuid[]) AS id ORDER BY k
     ) AS keys`,
    [[...new Set(studentIds)]],
  );
}
