import { currentSchema } from '@scholarpay/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A decision's outcomes are kept where they are read: in `decision_history` (every published
 * decision, with its outcomes, for audit). The current decision row keeps only the verdict; its
 * explanation is computed against the rules in force when read, so a rule change that leaves a
 * verdict standing no longer rewrites the row.
 */
export class DecisionExplanationsInHistoryOnly1764200000000 implements MigrationInterface {
  name = 'DecisionExplanationsInHistoryOnly1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = currentSchema(queryRunner);
    await queryRunner.query(`ALTER TABLE "${s}"."decisions" DROP COLUMN "outcomes", DROP COLUMN "failures"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = currentSchema(queryRunner);
    await queryRunner.query(
      `ALTER TABLE "${s}"."decisions" ADD COLUMN "outcomes" jsonb NOT NULL DEFAULT '[]', ADD COLUMN "failures" jsonb NOT NULL DEFAULT '[]'`,
    );
  }
}
