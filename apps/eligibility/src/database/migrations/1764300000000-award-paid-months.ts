import { currentSchema } from '@scholarpay/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The months payments paid each award for (from `payout.succeeded`), and on the award the latest of
 * them: a revoked award keeps committing every month already paid, so its money is never awarded
 * again. A payout that arrives for a month a revoked award had released (a batch in flight) grows
 * its commitment, and that may take a programme past its budget: the money is out either way. So the
 * programme row now refuses only a negative commitment, and new awards are held within the budget by
 * the one statement that moves commitments (`ProgrammeRepository.adjustCommitments`).
 */
export class AwardPaidMonths1764300000000 implements MigrationInterface {
  name = 'AwardPaidMonths1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = currentSchema(queryRunner);
    const month = (column: string) => `CHECK (${column} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')`;
    await queryRunner.query(`
      CREATE TABLE "${s}"."award_paid_months" (
        "award_id" uuid NOT NULL REFERENCES "${s}"."awards" ("award_id"),
        "month" text NOT NULL ${month('month')},
        "payout_id" uuid NOT NULL UNIQUE,
        "amount" bigint NOT NULL CHECK (amount > 0),
        "paid_at" timestamptz NOT NULL,
        "event_id" uuid NOT NULL,
        "recorded_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("award_id", "month")
      )`);
    await queryRunner.query(
      `ALTER TABLE "${s}"."awards" ADD COLUMN "last_paid_month" text ${month('last_paid_month')}`,
    );
    await queryRunner.query(
      `ALTER TABLE "${s}"."programmes" DROP CONSTRAINT "programmes_commitments_within_budget",
         ADD CONSTRAINT "programmes_commitments_not_negative" CHECK (committed_amount >= 0)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = currentSchema(queryRunner);
    // Fails while a programme is overspent: that fact must not be dropped silently.
    await queryRunner.query(
      `ALTER TABLE "${s}"."programmes" DROP CONSTRAINT "programmes_commitments_not_negative",
         ADD CONSTRAINT "programmes_commitments_within_budget" CHECK (committed_amount >= 0 AND committed_amount <= budget)`,
    );
    await queryRunner.query(`ALTER TABLE "${s}"."awards" DROP COLUMN "last_paid_month"`);
    await queryRunner.query(`DROP TABLE "${s}"."award_paid_months"`);
  }
}
