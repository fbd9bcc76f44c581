import type { Client } from 'pg';

export interface SeededStudent {
  studentId: string;
  regionOfOrigin: string;
  intakeYear: number;
  status: string;
  enrolledAt: Date;
}

/**
 * Puts students straight into eligibility's read model (as if enrolment's events had been applied),
 * in one INSERT: regions, intake years and enrolment times vary with the row number, and every 50th
 * student is suspended. Returns them as stored.
 */
export async function seedStudents(
  db: Client,
  count: number,
  options: { offset?: number; schoolCode?: string } = {},
): Promise<SeededStudent[]> {
  const offset = options.offset ?? 0;
  const { rows } = await db.query(
    `INSERT INTO eligibility.students (student_id, version, first_name, last_name, sex, date_of_birth, region_of_origin, school_id,
       school_code, programme_of_study, intake_year, has_phone, operator, status, enrolled_at)
     SELECT ${uuidOf("'student-' || i")}, 1, 'Prénom ' || i, 'Nom ' || i, CASE WHEN i % 3 = 0 THEN 'M' ELSE 'F' END,
       DATE '1994-01-01' + (i % 2000), (ARRAY['Gao', 'Bamako', 'Kidal', 'Mopti', 'Tombouctou', 'Ségou'])[i % 6 + 1],
       '0f0b6c9e-2b7a-4a53-8f0e-6f1d9a1c3b22', $3, (ARRAY['nursing', 'midwifery', 'pharmacy'])[i % 3 + 1],
       2011 + (i * 7) % 6, i % 10 <> 0, CASE WHEN i % 10 <> 0 THEN 'orange' END,
       CASE WHEN i % 50 = 0 THEN 'suspended' ELSE 'enrolled' END,
       TIMESTAMPTZ '2014-09-01 08:00:00+00' + (i * 37 % 100000) * INTERVAL '1 minute'
     FROM generate_series($1::int, $2::int) AS i
     RETURNING student_id AS "studentId", region_of_origin AS "regionOfOrigin", intake_year AS "intakeYear", status, enrolled_at AS "enrolledAt"`,
    [offset + 1, offset + count, options.schoolCode ?? 'ESS-GAO'],
  );
  return rows as SeededStudent[];
}

/** A deterministic, well-formed (version 4, RFC variant) UUID from a text, in SQL. */
export function uuidOf(textExpression: string): string {
  const h = `md5(${textExpression})`;
  return `(substr(${h}, 1, 8) || '-' || substr(${h}, 9, 4) || '-4' || substr(${h}, 14, 3) || '-8' || substr(${h}, 18, 3) || '-' || substr(${h}, 21, 12))::uuid`;
}

/** The waiting-list order used when nobody ranks earlier: intake year, then enrolment time, then id. */
export function byIntakeThenEnrolment(a: SeededStudent, b: SeededStudent): number {
  return (
    a.intakeYear - b.intakeYear ||
    a.enrolledAt.getTime() - b.enrolledAt.getTime() ||
    (a.studentId < b.studentId ? -1 : a.studentId > b.studentId ? 1 : 0)
  );
}
