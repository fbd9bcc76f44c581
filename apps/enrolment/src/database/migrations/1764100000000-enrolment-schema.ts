import { currentSchema } from '@scholarpay/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Schools, students with their status history, and CSV imports (staged file, progress, rejections). */
export class EnrolmentSchema1764100000000 implements MigrationInterface {
  name = 'EnrolmentSchema1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = currentSchema(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${s}"."schools" (
        "id" uuid PRIMARY KEY,
        "code" text NOT NULL,
        "name" text NOT NULL,
        "search_name" text NOT NULL,
        "region" text NOT NULL,
        "city" text NOT NULL,
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "schools_code_key" UNIQUE ("code")
      )`);
    await queryRunner.query(`
      CREATE TABLE "${s}"."students" (
        "id" uuid PRIMARY KEY,
        "seq" bigserial NOT NULL,
        "version" int NOT NULL CHECK ("version" > 0),
        "national_id" text NOT NULL,
        "first_name" text NOT NULL,
        "last_name" text NOT NULL,
        "search_text" text NOT NULL,
        "sex" char(1) NOT NULL CHECK ("sex" IN ('F', 'M')),
        "date_of_birth" date NOT NULL,
        "region_of_origin" text NOT NULL,
        "school_id" uuid NOT NULL REFERENCES "${s}"."schools" ("id"),
        "school_code" text NOT NULL,
        "programme_of_study" text NOT NULL,
        "intake_year" int NOT NULL,
        "phone" text,
        "operator" text CHECK ("operator" IN ('orange', 'moov')),
        "status" text NOT NULL CHECK ("status" IN ('enrolled', 'suspended', 'withdrawn', 'graduated')),
        "enrolled_at" timestamptz NOT NULL,
        "created_by" text NOT NULL,
        "updated_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "students_national_id_key" UNIQUE ("national_id"),
        CONSTRAINT "students_seq_key" UNIQUE ("seq"),
        CONSTRAINT "students_operator_needs_phone" CHECK ("operator" IS NULL OR "phone" IS NOT NULL)
      )`);
    // A phone number belongs to at most one active student (stipends go to the wallet behind it).
    await queryRunner.query(`
      CREATE UNIQUE INDEX "students_active_phone_key" ON "${s}"."students" ("phone")
        WHERE "phone" IS NOT NULL AND "status" IN ('enrolled', 'suspended')`);
    await queryRunner.query(
      `CREATE INDEX "students_school_seq_idx" ON "${s}"."students" ("school_id", "seq")`,
    );
    await queryRunner.query(`CREATE INDEX "students_status_seq_idx" ON "${s}"."students" ("status", "seq")`);
    await queryRunner.query(
      `CREATE INDEX "students_intake_year_seq_idx" ON "${s}"."students" ("intake_year", "seq")`,
    );
    await queryRunner.query(`
      CREATE TABLE "${s}"."student_status_history" (
        "id" bigserial PRIMARY KEY,
        "student_id" uuid NOT NULL REFERENCES "${s}"."students" ("id"),
        "from_status" text,
        "to_status" text NOT NULL,
        "reason" text NOT NULL,
        "changed_by" text NOT NULL,
        "changed_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX "student_status_history_student_idx" ON "${s}"."student_status_history" ("student_id", "id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "${s}"."student_imports" (
        "id" uuid PRIMARY KEY,
        "status" text NOT NULL CHECK ("status" IN ('queued', 'processing', 'completed', 'failed')),
        "requested_by" text NOT NULL,
        "requester_all_schools" boolean NOT NULL,
        "requester_school_ids" jsonb NOT NULL,
        "correlation_id" text NOT NULL,
        "file_name" text,
        "byte_size" bigint NOT NULL,
        "sha256" text NOT NULL,
        "encoding" text NOT NULL,
        "delimiter" text NOT NULL,
        "column_map" jsonb NOT NULL,
        "header_names" jsonb NOT NULL,
        "ignored_columns" jsonb NOT NULL,
        "total_rows" int NOT NULL,
        "rows_processed" int NOT NULL DEFAULT 0,
        "resume_after_line" int NOT NULL DEFAULT 0,
        "created_count" int NOT NULL DEFAULT 0,
        "updated_count" int NOT NULL DEFAULT 0,
        "unchanged_count" int NOT NULL DEFAULT 0,
        "rejected_count" int NOT NULL DEFAULT 0,
        "failure_reason" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "started_at" timestamptz,
        "completed_at" timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX "student_imports_unfinished_idx" ON "${s}"."student_imports" ("created_at") WHERE "status" IN ('queued', 'processing')`,
    );
    // The uploaded file, staged in ~1 MiB pieces until the import has run; then deleted.
    await queryRunner.query(`
      CREATE TABLE "${s}"."student_import_file_chunks" (
        "import_id" uuid NOT NULL REFERENCES "${s}"."student_imports" ("id") ON DELETE CASCADE,
        "seq" int NOT NULL,
        "data" bytea NOT NULL,
        PRIMARY KEY ("import_id", "seq")
      )`);
    await queryRunner.query(`
      CREATE TABLE "${s}"."student_import_rejections" (
        "id" bigserial PRIMARY KEY,
        "import_id" uuid NOT NULL REFERENCES "${s}"."student_imports" ("id") ON DELETE CASCADE,
        "row" int NOT NULL,
        "column" text,
        "message" text NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX "student_import_rejections_import_idx" ON "${s}"."student_import_rejections" ("import_id", "id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = currentSchema(queryRunner);
    for (const table of [
      'student_import_rejections',
      'student_import_file_chunks',
      'student_imports',
      'student_status_history',
      'students',
      'schools',
    ]) {
      await queryRunner.query(`DROP TABLE "${s}"."${table}"`);
    }
  }
}
