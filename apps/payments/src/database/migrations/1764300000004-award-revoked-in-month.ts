import { currentSchema } from '@scholarpay/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A revoked award's month of revocation, from eligibility's award events: a revocation undone
 * within its month (the student holds a new award from the month after) leaves that month to the
 * revoked award, which is then paid for it. Null for other awards and for events that predate it.
 */
export class AwardRevokedInMonth1764300000004 implements MigrationInterface {
  name = 'AwardRevokedInMonth1764300000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "${currentSchema(queryRunner)}".awards ADD COLUMN revoked_in_month text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "${currentSchema(queryRunner)}".awards DROP COLUMN revoked_in_month`);
  }
}
