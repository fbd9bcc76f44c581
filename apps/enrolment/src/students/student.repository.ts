import { Injectable } from '@nestjs/common';
import type { StudentStatus } from '@scholarpay/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { StudentChangeEntity, StudentEntity, StudentStatusHistoryEntity } from './student.entity';
import { ACTIVE_STUDENT_STATUSES } from './student.state-machine';

const COLUMNS = `id, seq, version, national_id, first_name, last_name, search_text, sex, date_of_birth::text AS date_of_birth,
  region_of_origin, school_id, school_code, programme_of_study, intake_year, phone, operator, status, enrolled_at,
  created_by, updated_by, created_at, updated_at`;

const ACTIVE = `status IN (${ACTIVE_STUDENT_STATUSES.map((status) => `'${status}'`).join(', ')})`;

export interface StudentListFilter {
  /** null: every school; otherwise only these (possibly none). */
  schoolIds: string[] | null;
  status?: StudentStatus;
  intakeYear?: number;
  /** Folded words that must all appear in the name. */
  nameWords: string[];
  afterSeq: number | null;
  limit: number;
}

/** The student holding a national id or phone number, and their school (who may be told). */
export interface StudentHolder {
  id: string;
  schoolId: string;
}

export interface NewStatusHistoryEntry {
  studentId: string;
  fromStatus: StudentStatus | null;
  toStatus: StudentStatus;
  reason: string;
  changedBy: string;
  changedAt: Date;
}

export interface NewStudentChange {
  studentId: string;
  /** The student's version after the change. */
  version: number;
  changes: Record<string, { from: unknown; to: unknown }>;
  reason: string | null;
  changedBy: string;
  changedAt: Date;
}

/** A student changed between reading it and writing it back; the transaction should be retried. */
export class ConcurrentStudentChangeError extends Error {
  constructor(readonly conflicts: number) {
    super(`${conflicts} student(s) changed while this change was being prepared`);
    this.name = 'ConcurrentStudentChangeError';
  }
}

/** Students and their status history. Bulk methods take whole import chunks in one statement each. */
@Injectable()
export class StudentRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findById(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<StudentEntity | null> {
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT ${COLUMNS} FROM students WHERE id = $1`,
      [id],
    );
    return rows[0] ? toStudent(rows[0]) : null;
  }

  /** The student, locked until the transaction ends (concurrent changes to one student queue up). */
  async lockById(manager: EntityManager, id: string): Promise<StudentEntity | null> {
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT ${COLUMNS} FROM students WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ? toStudent(rows[0]) : null;
  }

  /**
   * Students by national id, not locked: an import writes back only the ones that change, with a
   * version check (see `updateMany`), so unchanged rows cost no writes.
   */
  async findByNationalIds(
    manager: EntityManager,
    nationalIds: string[],
  ): Promise<Map<string, StudentEntity>> {
    if (nationalIds.length === 0) return new Map();
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT ${COLUMNS} FROM students WHERE national_id = ANY($1::text[])`,
      [nationalIds],
    );
    return new Map(rows.map((row) => [row.national_id as string, toStudent(row)]));
  }

  async findNationalIdHolder(manager: EntityManager, nationalId: string): Promise<StudentHolder | null> {
    const rows: { id: string; school_id: string }[] = await manager.query(
      'SELECT id, school_id FROM students WHERE national_id = $1',
      [nationalId],
    );
    return rows[0] ? { id: rows[0].id, schoolId: rows[0].school_id } : null;
  }

  /** The enrolled or suspended student who holds this phone number, other than `exceptId`. */
  async findActivePhoneHolder(
    manager: EntityManager,
    phone: string,
    exceptId: string | null,
  ): Promise<StudentHolder | null> {
    const rows: { id: string; school_id: string }[] = await manager.query(
      `SELECT id, school_id FROM students WHERE phone = $1 AND ${ACTIVE} AND ($2::uuid IS NULL OR id <> $2::uuid)`,
      [phone, exceptId],
    );
    return rows[0] ? { id: rows[0].id, schoolId: rows[0].school_id } : null;
  }

  /** Phone number to the active student holding it (one index probe per number). */
  async activePhoneHolders(manager: EntityManager, phones: string[]): Promise<Map<string, StudentHolder>> {
    if (phones.length === 0) return new Map();
    const rows: { id: string; school_id: string; phone: string }[] = await manager.query(
      `SELECT s.id, s.school_id, s.phone FROM unnest($1::text[]) AS wanted(phone)
         JOIN students s ON s.phone = wanted.phone
        WHERE s.${ACTIVE}`,
      [phones],
    );
    return new Map(rows.map((row) => [row.phone, { id: row.id, schoolId: row.school_id }]));
  }

  /** The planner's idea of how many students there are (0 before the first ANALYZE). */
  async estimatedCount(): Promise<number> {
    const rows: { estimate: number }[] = await this.dataSource.query(
      `SELECT GREATEST(reltuples, 0)::float8 AS estimate FROM pg_class WHERE oid = 'students'::regclass`,
    );
    return Math.round(rows[0]?.estimate ?? 0);
  }

  /**
   * Refreshes the planner's statistics. A large import can grow the table faster than autovacuum
   * analyses it, and on stale statistics the phone look-up stops using its index.
   */
  async refreshStatistics(): Promise<void> {
    await this.dataSource.query('ANALYZE students');
  }

  async insertMany(manager: EntityManager, students: StudentEntity[]): Promise<void> {
    if (students.length === 0) return;
    const column = <K extends keyof StudentEntity>(key: K) => students.map((student) => student[key]);
    await manager.query(
      `INSERT INTO students (id, version, national_id, first_name, last_name, search_text, sex, date_of_birth,
         region_of_origin, school_id, school_code, programme_of_study, intake_year, phone, operator, status,
         enrolled_at, created_by, updated_by, created_at, updated_at)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::date[],
         $9::text[], $10::uuid[], $11::text[], $12::text[], $13::int[], $14::text[], $15::text[], $16::text[],
         $17::timestamptz[], $18::text[], $19::text[], $20::timestamptz[], $21::timestamptz[])`,
      [
        column('id'),
        column('version'),
        column('nationalId'),
        column('firstName'),
        column('lastName'),
        column('searchText'),
        column('sex'),
        column('dateOfBirth'),
        column('regionOfOrigin'),
        column('schoolId'),
        column('schoolCode'),
        column('programmeOfStudy'),
        column('intakeYear'),
        column('phone'),
        column('operator'),
        column('status'),
        students.map((student) => student.enrolledAt.toISOString()),
        column('createdBy'),
        column('updatedBy'),
        students.map((student) => student.createdAt.toISOString()),
        students.map((student) => student.updatedAt.toISOString()),
      ],
    );
  }

  /**
   * Writes every field, status and version of these students (changed in memory, each `version`
   * one above the stored one). A student changed by someone else meanwhile fails the version check,
   * and the whole write is refused with ConcurrentStudentChangeError: the caller's transaction rolls
   * back and may be tried again on fresh data.
   */
  async updateMany(manager: EntityManager, students: StudentEntity[]): Promise<void> {
    if (students.length === 0) return;
    const column = <K extends keyof StudentEntity>(key: K) => students.map((student) => student[key]);
    const updated: unknown = await manager.query(
      `UPDATE students AS s SET
         version = v.version, national_id = v.national_id, first_name = v.first_name, last_name = v.last_name,
         search_text = v.search_text, sex = v.sex, date_of_birth = v.date_of_birth, region_of_origin = v.region_of_origin,
         school_id = v.school_id, school_code = v.school_code, programme_of_study = v.programme_of_study,
         intake_year = v.intake_year, phone = v.phone, operator = v.operator, status = v.status,
         updated_by = v.updated_by, updated_at = v.updated_at
       FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::date[],
         $9::text[], $10::uuid[], $11::text[], $12::text[], $13::int[], $14::text[], $15::text[], $16::text[],
         $17::text[], $18::timestamptz[])
         AS v(id, version, national_id, first_name, last_name, search_text, sex, date_of_birth, region_of_origin,
              school_id, school_code, programme_of_study, intake_year, phone, operator, status, updated_by, updated_at)
       WHERE s.id = v.id AND s.version = v.version - 1
       RETURNING s.id`,
      [
        column('id'),
        column('version'),
        column('nationalId'),
        column('firstName'),
        column('lastName'),
        column('searchText'),
        column('sex'),
        column('dateOfBirth'),
        column('regionOfOrigin'),
        column('schoolId'),
        column('schoolCode'),
        column('programmeOfStudy'),
        column('intakeYear'),
        column('phone'),
        column('operator'),
        column('status'),
        column('updatedBy'),
        students.map((student) => student.updatedAt.toISOString()),
      ],
    );
    // TypeORM answers an UPDATE ... RETURNING with [rows, affectedCount].
    const rows =
      Array.isArray(updated) && Array.isArray(updated[0])
        ? (updated[0] as unknown[])
        : (updated as unknown[]);
    if (rows.length !== students.length)
      throw new ConcurrentStudentChangeError(students.length - rows.length);
  }

  async appendStatusHistory(manager: EntityManager, entries: NewStatusHistoryEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await manager.query(
      `INSERT INTO student_status_history (student_id, from_status, to_status, reason, changed_by, changed_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])`,
      [
        entries.map((entry) => entry.studentId),
        entries.map((entry) => entry.fromStatus),
        entries.map((entry) => entry.toStatus),
        entries.map((entry) => entry.reason),
        entries.map((entry) => entry.changedBy),
        entries.map((entry) => entry.changedAt.toISOString()),
      ],
    );
  }

  async statusHistoryOf(studentId: string): Promise<StudentStatusHistoryEntity[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT id, student_id, from_status, to_status, reason, changed_by, changed_at
         FROM student_status_history WHERE student_id = $1 ORDER BY id`,
      [studentId],
    );
    return rows.map((row) =>
      Object.assign(new StudentStatusHistoryEntity(), {
        id: Number(row.id),
        studentId: row.student_id as string,
        fromStatus: row.from_status as StudentStatus | null,
        toStatus: row.to_status as StudentStatus,
        reason: row.reason as string,
        changedBy: row.changed_by as string,
        changedAt: row.changed_at as Date,
      }),
    );
  }

  /** Records corrections of students' fields, in the transaction that makes them. */
  async appendChanges(manager: EntityManager, entries: NewStudentChange[]): Promise<void> {
    if (entries.length === 0) return;
    await manager.query(
      `INSERT INTO student_changes (student_id, version, changes, reason, changed_by, changed_at)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::jsonb[], $4::text[], $5::text[], $6::timestamptz[])`,
      [
        entries.map((entry) => entry.studentId),
        entries.map((entry) => entry.version),
        entries.map((entry) => JSON.stringify(entry.changes)),
        entries.map((entry) => entry.reason),
        entries.map((entry) => entry.changedBy),
        entries.map((entry) => entry.changedAt.toISOString()),
      ],
    );
  }

  /** One page of a student's corrections, oldest first, `limit + 1` rows so the caller knows whether more follow. */
  async changesOf(
    studentId: string,
    afterVersion: number | null,
    limit: number,
  ): Promise<StudentChangeEntity[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT id, student_id, version, changes, reason, changed_by, changed_at
         FROM student_changes WHERE student_id = $1 AND ($2::int IS NULL OR version > $2::int)
        ORDER BY version LIMIT $3`,
      [studentId, afterVersion, limit + 1],
    );
    return rows.map((row) =>
      Object.assign(new StudentChangeEntity(), {
        id: Number(row.id),
        studentId: row.student_id as string,
        version: row.version as number,
        changes: row.changes as StudentChangeEntity['changes'],
        reason: (row.reason as string | null) ?? null,
        changedBy: row.changed_by as string,
        changedAt: row.changed_at as Date,
      }),
    );
  }

  /** One page in enrolment order (seq), `limit + 1` rows so the caller knows whether more follow. */
  async list(filter: StudentListFilter): Promise<StudentEntity[]> {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    const add = (sql: (placeholder: string) => string, value: unknown) => {
      parameters.push(value);
      conditions.push(sql(`$${parameters.length}`));
    };
    if (filter.schoolIds) add((p) => `school_id = ANY(${p}::uuid[])`, filter.schoolIds);
    if (filter.status) add((p) => `status = ${p}`, filter.status);
    if (filter.intakeYear !== undefined) add((p) => `intake_year = ${p}`, filter.intakeYear);
    // Folded words hold only letters and digits, so they need no LIKE escaping.
    for (const word of filter.nameWords) add((p) => `search_text LIKE ${p}`, `%${word}%`);
    if (filter.afterSeq !== null) add((p) => `seq > ${p}`, filter.afterSeq);
    parameters.push(filter.limit + 1);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM students ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY seq LIMIT $${parameters.length}`,
      parameters,
    );
    return rows.map(toStudent);
  }
}

function toStudent(row: Record<string, unknown>): StudentEntity {
  return Object.assign(new StudentEntity(), {
    id: row.id as string,
    seq: Number(row.seq),
    version: row.version as number,
    nationalId: row.national_id as string,
    firstName: row.first_name as string,
    lastName: row.last_name as string,
    searchText: row.search_text as string,
    sex: row.sex as StudentEntity['sex'],
    dateOfBirth: row.date_of_birth as string,
    regionOfOrigin: row.region_of_origin as string,
    schoolId: row.school_id as string,
    schoolCode: row.school_code as string,
    programmeOfStudy: row.programme_of_study as string,
    intakeYear: row.intake_year as number,
    phone: (row.phone as string | null) ?? null,
    operator: (row.operator as StudentEntity['operator']) ?? null,
    status: row.status as StudentStatus,
    enrolledAt: row.enrolled_at as Date,
    createdBy: row.created_by as string,
    updatedBy: row.updated_by as string,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  });
}
