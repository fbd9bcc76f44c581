import { currentSchema } from '@scholarpay/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every payout moves its line three times and writes six ledger entries, and each write pays for
 * every index of its table. Three indexes served no query: no query looks payout lines up by
 * student; a programme's funding is summed through (programme_id, account_type), which the
 * programme balance already uses, instead of by account name; and a line's ledger entries are
 * reached through its postings (ledger_postings_line_idx, then ledger_entries_posting_idx).
 */
export class DropIndexesNoQueryNeeds1764300000002 implements MigrationInterface {
  name = 'DropIndexesNoQueryNeeds1764300000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${currentSchema(queryRunner)}"`;
    await queryRunner.query(`DROP INDEX ${s}.payout_lines_student_idx`);
    await queryRunner.query(`DROP INDEX ${s}.ledger_entries_account_idx`);
    await queryRunner.query(`DROP INDEX ${s}.ledger_entries_line_idx`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${currentSchema(queryRunner)}"`;
    await queryRunner.query(`CREATE INDEX payout_lines_student_idx ON ${s}.payout_lines (student_id)`);
    await queryRunner.query(`CREATE INDEX ledger_entries_account_idx ON ${s}.ledger_entries (account)`);
    await queryRunner.query(`CREATE INDEX ledger_entries_line_idx ON ${s}.ledger_entries (line_id) WHERE line_id IS NOT NULL`);
  }
}
