import { MigrationInterface, QueryRunner } from 'typeorm';

const KEY = 'session_id, recipient, passed, school_code, region_of_origin, intake_year, stipend_months';

/**
 * How many results share each (session, recipient status, outcome, strata, stipend months): the
 * evaluation reads these few thousand rows instead of a session's million results. Kept by
 * statement-level triggers on exam_results, in the same transaction as the change, so the counts
 * can never disagree with the rows. Each statement adds its net deltas in key order (so concurrent
 * writers lock count rows in the same order), and a change that moves no count writes nothing.
 */
export class ExamResultCounts1764200000000 implements MigrationInterface {
  name = 'ExamResultCounts1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE exam_result_counts (
        session_id uuid NOT NULL REFERENCES exam_sessions (id),
        recipient boolean NOT NULL,
        passed boolean NOT NULL,
        school_code text,
        region_of_origin text,
        intake_year integer,
        stipend_months integer NOT NULL,
        -- No CHECK (n >= 0): Postgres checks the proposed row of an upsert before it finds the
        -- conflict, and a removal's proposed row carries a negative delta. Reads refuse a negative sum.
        n bigint NOT NULL,
        CONSTRAINT exam_result_counts_key UNIQUE NULLS NOT DISTINCT (${KEY})
      )`);

    const apply = (source: string) => `
      INSERT INTO exam_result_counts AS c (${KEY}, n)
      SELECT ${KEY}, sum(delta) FROM (${source}) AS deltas
       GROUP BY ${KEY}
      HAVING sum(delta) <> 0
       ORDER BY ${KEY}
      ON CONFLICT ON CONSTRAINT exam_result_counts_key DO UPDATE SET n = c.n + EXCLUDED.n`;
    const added = `SELECT ${KEY}, 1 AS delta FROM added_rows`;
    const removed = `SELECT ${KEY}, -1 AS delta FROM removed_rows`;

    await queryRunner.query(`
      CREATE FUNCTION exam_result_counts_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${apply(added)}; RETURN NULL; END $$`);
    await queryRunner.query(`
      CREATE FUNCTION exam_result_counts_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${apply(`${added} UNION ALL ${removed}`)}; RETURN NULL; END $$`);
    await queryRunner.query(`
      CREATE FUNCTION exam_result_counts_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${apply(removed)}; RETURN NULL; END $$`);
    await queryRunner.query(`
      CREATE TRIGGER exam_result_counts_insert AFTER INSERT ON exam_results
        REFERENCING NEW TABLE AS added_rows FOR EACH STATEMENT EXECUTE FUNCTION exam_result_counts_after_insert()`);
    await queryRunner.query(`
      CREATE TRIGGER exam_result_counts_update AFTER UPDATE ON exam_results
        REFERENCING NEW TABLE AS added_rows OLD TABLE AS removed_rows FOR EACH STATEMENT EXECUTE FUNCTION exam_result_counts_after_update()`);
    await queryRunner.query(`
      CREATE TRIGGER exam_result_counts_delete AFTER DELETE ON exam_results
        REFERENCING OLD TABLE AS removed_rows FOR EACH STATEMENT EXECUTE FUNCTION exam_result_counts_after_delete()`);

    // Results recorded before this migration.
    await queryRunner.query(`
      INSERT INTO exam_result_counts (${KEY}, n)
      SELECT ${KEY}, count(*) FROM exam_results GROUP BY ${KEY}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER exam_result_counts_delete ON exam_results`);
    await queryRunner.query(`DROP TRIGGER exam_result_counts_update ON exam_results`);
    await queryRunner.query(`DROP TRIGGER exam_result_counts_insert ON exam_results`);
    await queryRunner.query(`DROP FUNCTION exam_result_counts_after_delete()`);
    await queryRunner.query(`DROP FUNCTION exam_result_counts_after_update()`);
    await queryRunner.query(`DROP FUNCTION exam_result_counts_after_insert()`);
    await queryRunner.query(`DROP TABLE exam_result_counts`);
  }
}
