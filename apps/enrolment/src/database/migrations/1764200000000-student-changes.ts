import { currentSchema } from '@scholarpay/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every correction of a student's record (by PATCH or CSV import): which fields changed from what
 * to what, who changed them, when and why. `students.updated_by` keeps only the last editor, and a
 * payout phone changed without a trace could not be told from fraud.
 */
export class StudentChanges1764200000000 implements MigrationInterface {
  name = 'StudentChanges1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = currentSchema(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${s}"."student_changes" (
        "id" bigserial PRIMARY KEY,
        "student_id" uuid NOT NULL REFERENCES "${s}"."students" ("id"),
        "version" int NOT NULL,
        "changes" jsonb NOT NULL,
        "reason" text,
        "changed_by" text NOT NULL,
        "changed_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "student_changes_student_version_key" UNIQUE ("student_id", "version")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = currentSchema(queryRunner);
    await queryRunner.query(`DROP TABLE "${s}"."student_changes"`);
  }
}
