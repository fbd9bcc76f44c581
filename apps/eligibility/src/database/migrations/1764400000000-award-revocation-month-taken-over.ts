import { currentSchema } from '@scholarpay/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A revoked award not paid for its month of revocation hands that month to the student's next award
 * when they are awarded again in that month (a withdrawal or a rule undone): the revoked award then
 * keeps only the months before it, or those paid.
 */
export class AwardRevocationMonthTakenOver1764400000000 implements MigrationInterface {
  name = 'AwardRevocationMonthTakenOver1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = currentSchema(queryRunner);
    await queryRunner.query(
      `ALTER TABLE "${s}"."awards" ADD COLUMN "revocation_month_taken_over" boolean NOT NULL DEFAULT false`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = currentSchema(queryRunner);
    await queryRunner.query(`ALTER TABLE "${s}"."awards" DROP COLUMN "revocation_month_taken_over"`);
  }
}
