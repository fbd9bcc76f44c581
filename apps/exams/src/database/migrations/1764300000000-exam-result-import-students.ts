import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each student an import has listed, with the values of the first row that listed them. A later
 * row of the same file is compared with these values, not with the result (which the first row may
 * have left as it was): a different later row is a duplicate whatever the history. Written in each
 * batch's transaction, so a resumed import still knows the rows of the batches committed before.
 */
export class ExamResultImportStudents1764300000000 implements MigrationInterface {
  name = 'ExamResultImportStudents1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE exam_result_import_students (
        import_id uuid NOT NULL REFERENCES exam_result_imports (id),
        student_id uuid NOT NULL,
        record_number integer,
        passed boolean NOT NULL,
        score numeric(6, 2),
        PRIMARY KEY (import_id, student_id)
      )`);
    // Imports interrupted by the upgrade: their rows that recorded or corrected a result are in the
    // revisions (rows left unchanged before the upgrade were not kept anywhere).
    await queryRunner.query(`
      INSERT INTO exam_result_import_students (import_id, student_id, record_number, passed, score)
      SELECT DISTINCT ON (v.import_id, r.student_id) v.import_id, r.student_id, v.import_record, v.passed, v.score
        FROM exam_result_revisions v
        JOIN exam_results r ON r.id = v.result_id
        JOIN exam_result_imports i ON i.id = v.import_id
       WHERE i.status IN ('queued', 'processing') AND v.import_record IS NOT NULL
       ORDER BY v.import_id, r.student_id, v.import_record`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE exam_result_import_students`);
  }
}
