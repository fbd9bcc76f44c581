import { Injectable } from '@nestjs/common';
import type { StudentSnapshot } from '@scholarpay/contracts';
import type { EntityManager } from 'typeorm';
import { queryRows } from '../shared/sql';

/** A student as eligibility knows it (the read model row). */
export interface StudentRecord {
  studentId: string;
  version: number;
  firstName: string;
  lastName: string;
  sex: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  regionOfOrigin: string;
  schoolId: string;
  schoolCode: string;
  programmeOfStudy: string;
  intakeYear: number;
  hasPhone: boolean;
  operator: string | null;
  status: 'enrolled' | 'suspended' | 'withdrawn' | 'graduated';
  enrolledAt: Date;
}

const columns = `student_id AS "studentId", version, first_name AS "firstName", last_name AS "lastName", sex,
  date_of_birth::text AS "dateOfBirth", region_of_origin AS "regionOfOrigin", school_id AS "schoolId",
  school_code AS "schoolCode", programme_of_study AS "programmeOfStudy", intake_year AS "intakeYear",
  has_phone AS "hasPhone", operator, status, enrolled_at AS "enrolledAt"`;

@Injectable()
export class StudentRepository {
  /**
   * Stores the snapshot if it is newer than what is held (or the student is new), and locks the row
   * for the rest of the transaction. An older or equal version changes nothing: `null` is returned.
   */
  async saveIfNewer(manager: EntityManager, student: StudentSnapshot): Promise<StudentRecord | null> {
    const rows = await queryRows<StudentRecord>(
      manager,
      `INSERT INTO students (student_id, version, first_name, last_name, sex, date_of_birth, region_of_origin, school_id,
         school_code, programme_of_study, intake_year, has_phone, operator, status, enrolled_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, now())
       ON CONFLICT (student_id) DO UPDATE SET
         version = EXCLUDED.version, first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, sex = EXCLUDED.sex,
         date_of_birth = EXCLUDED.date_of_birth, region_of_origin = EXCLUDED.region_of_origin, school_id = EXCLUDED.school_id,
         school_code = EXCLUDED.school_code, programme_of_study = EXCLUDED.programme_of_study, intake_year = EXCLUDED.intake_year,
         has_phone = EXCLUDED.has_phone, operator = EXCLUDED.operator, status = EXCLUDED.status,
         enrolled_at = EXCLUDED.enrolled_at, updated_at = now()
       WHERE students.version < EXCLUDED.version
       RETURNING ${columns}`,
      [
        student.studentId,
        student.version,
        student.firstName,
        student.lastName,
        student.sex,
        student.dateOfBirth,
        student.regionOfOrigin,
        student.schoolId,
        student.schoolCode,
        student.programmeOfStudy,
        student.intakeYear,
        student.phone !== null,
        student.operator,
        student.status,
        student.enrolledAt,
      ],
    );
    return rows[0] ?? null;
  }

  async findVersion(manager: EntityManager, studentId: string): Promise<number | null> {
    const rows = await queryRows<{ version: number }>(
      manager,
      'SELECT version FROM students WHERE student_id = $1',
      [studentId],
    );
    return rows[0]?.version ?? null;
  }

  async findById(manager: EntityManager, studentId: string): Promise<StudentRecord | null> {
    const rows = await queryRows<StudentRecord>(
      manager,
      `SELECT ${columns} FROM students WHERE student_id = $1`,
      [studentId],
    );
    return rows[0] ?? null;
  }

  async count(manager: EntityManager): Promise<number> {
    const [{ count }] = await queryRows<{ count: number }>(
      manager,
      'SELECT count(*)::int AS count FROM students',
    );
    return count;
  }
}
