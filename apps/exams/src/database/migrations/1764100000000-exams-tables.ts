import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exam sessions, results with their revision history, CSV imports, and the read model built from
 * enrolment, eligibility and payments events. The schema itself is created by migrateServiceSchema;
 * search_path points at it, so tables are named without a prefix.
 */
export class ExamsTables1764100000000 implements MigrationInterface {
  name = 'ExamsTables1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE exam_sessions (
        id uuid PRIMARY KEY,
        code text NOT NULL,
        name text NOT NULL,
        exam_date date NOT NULL,
        cadre text NOT NULL,
        score_scale smallint NOT NULL CHECK (score_scale IN (20, 100)),
        -- Payouts completed before this instant count as stipend received before the exam:
        -- the start of the exam day in the programme's time zone, fixed when the session is created.
        stipend_cutoff timestamptz NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX exam_sessions_code_key ON exam_sessions (lower(code))`);
    await queryRunner.query(
      `CREATE INDEX exam_sessions_exam_date_idx ON exam_sessions (exam_date DESC, code)`,
    );

    await queryRunner.query(`
      CREATE TABLE exam_result_imports (
        id uuid PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES exam_sessions (id),
        file_name text NOT NULL,
        file_sha256 text NOT NULL,
        file_size integer NOT NULL,
        encoding text NOT NULL,
        delimiter text NOT NULL,
        content bytea NOT NULL,
        columns jsonb NOT NULL,
        ignored_columns jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('queued', 'processing', 'completed', 'failed')),
        rows_total integer,
        rows_processed integer NOT NULL DEFAULT 0,
        rows_recorded integer NOT NULL DEFAULT 0,
        rows_corrected integer NOT NULL DEFAULT 0,
        rows_unchanged integer NOT NULL DEFAULT 0,
        rows_failed integer NOT NULL DEFAULT 0,
        rows_blank integer NOT NULL DEFAULT 0,
        failure_reason text,
        uploaded_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        completed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT exam_result_imports_file_key UNIQUE (session_id, file_sha256)
      )`);
    await queryRunner.query(
      `CREATE INDEX exam_result_imports_unfinished_idx ON exam_result_imports (created_at) WHERE status IN ('queued', 'processing')`,
    );

    await queryRunner.query(`
      CREATE TABLE exam_result_import_errors (
        id bigserial PRIMARY KEY,
        import_id uuid NOT NULL REFERENCES exam_result_imports (id),
        record_number integer NOT NULL,
        line integer NOT NULL,
        field text NOT NULL,
        code text NOT NULL,
        problem text NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX exam_result_import_errors_import_idx ON exam_result_import_errors (import_id, record_number, id)`,
    );

    await queryRunner.query(`
      CREATE TABLE exam_results (
        id uuid PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES exam_sessions (id),
        student_id uuid NOT NULL,
        passed boolean NOT NULL,
        score numeric(6, 2),
        revision integer NOT NULL CHECK (revision >= 1),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL,
        reason text,
        source text NOT NULL CHECK (source IN ('entry', 'import')),
        import_id uuid REFERENCES exam_result_imports (id),
        first_recorded_at timestamptz NOT NULL,
        -- Derived from the read model, kept current by the event handlers (never part of a revision):
        recipient boolean NOT NULL DEFAULT false,
        stipend_months integer NOT NULL DEFAULT 0 CHECK (stipend_months >= 0),
        student_known boolean NOT NULL DEFAULT false,
        school_code text,
        region_of_origin text,
        intake_year integer,
        CONSTRAINT exam_results_session_student_key UNIQUE (session_id, student_id),
        CONSTRAINT exam_results_recipient_months CHECK (recipient = (stipend_months > 0))
      )`);
    await queryRunner.query(`CREATE INDEX exam_results_student_idx ON exam_results (student_id)`);
    // The evaluation reads only these columns; the planner may answer from the index alone.
    await queryRunner.query(`
      CREATE INDEX exam_results_evaluation_idx ON exam_results (session_id)
        INCLUDE (recipient, passed, stipend_months, school_code, region_of_origin, intake_year)`);

    await queryRunner.query(`
      CREATE TABLE exam_result_revisions (
        result_id uuid NOT NULL REFERENCES exam_results (id),
        revision integer NOT NULL,
        passed boolean NOT NULL,
        score numeric(6, 2),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL,
        reason text,
        source text NOT NULL CHECK (source IN ('entry', 'import')),
        import_id uuid REFERENCES exam_result_imports (id),
        import_record integer,
        PRIMARY KEY (result_id, revision)
      )`);

    await queryRunner.query(`
      CREATE TABLE students (
        student_id uuid PRIMARY KEY,
        version integer NOT NULL,
        national_id text NOT NULL,
        school_id uuid NOT NULL,
        school_code text NOT NULL,
        region_of_origin text NOT NULL,
        intake_year integer NOT NULL,
        status text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX students_national_id_idx ON students (national_id)`);

    await queryRunner.query(`
      CREATE TABLE awards (
        award_id uuid PRIMARY KEY,
        version integer NOT NULL,
        student_id uuid NOT NULL,
        programme_id uuid NOT NULL,
        programme_code text NOT NULL,
        status text NOT NULL,
        awarded_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX awards_student_idx ON awards (student_id)`);

    await queryRunner.query(`
      CREATE TABLE stipend_payouts (
        payout_id uuid PRIMARY KEY,
        student_id uuid NOT NULL,
        award_id uuid NOT NULL,
        programme_id uuid NOT NULL,
        month text NOT NULL,
        amount bigint NOT NULL,
        completed_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX stipend_payouts_student_idx ON stipend_payouts (student_id, completed_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'stipend_payouts',
      'awards',
      'students',
      'exam_result_revisions',
      'exam_results',
      'exam_result_import_errors',
      'exam_result_imports',
      'exam_sessions',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
