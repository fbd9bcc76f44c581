import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * callback_deliveries (cashin_id) served no query: the foreign key is checked through cashins'
 * primary key, and cash-ins are never deleted. Each delivery row is written three times (queued,
 * claimed, answered), each time into every index of the table, so the index cost three index
 * entries per callback for nothing.
 */
export class DropCallbackDeliveriesCashinIndex1767571200000 implements MigrationInterface {
  name = 'DropCallbackDeliveriesCashinIndex1767571200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX callback_deliveries_cashin_idx`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX callback_deliveries_cashin_idx ON callback_deliveries (cashin_id)`);
  }
}
