import { currentSchema } from '@scholarpay/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A student is never in two batches for one month, whatever awards they hold. One live line per
 * award and month was not enough: a revoked award and the award granted after it both cover the
 * month of the revocation, and each got its line, so the student was paid twice. The new index
 * implies the old one (an award belongs to one student), which is dropped.
 */
export class OneLiveLinePerStudentMonth1764300000003 implements MigrationInterface {
  name = 'OneLiveLinePerStudentMonth1764300000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${currentSchema(queryRunner)}"`;
    await queryRunner.query(
      `CREATE UNIQUE INDEX payout_lines_one_live_per_student_month
         ON ${s}.payout_lines (student_id, month) WHERE status NOT IN ('FAILED', 'RELEASED')`,
    );
    await queryRunner.query(`DROP INDEX ${s}.payout_lines_one_live_per_award_month`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${currentSchema(queryRunner)}"`;
    await queryRunner.query(
      `CREATE UNIQUE INDEX payout_lines_one_live_per_award_month
         ON ${s}.payout_lines (award_id, month) WHERE status NOT IN ('FAILED', 'RELEASED')`,
    );
    await queryRunner.query(`DROP INDEX ${s}.payout_lines_one_live_per_student_month`);
  }
}
