import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Splits the merchant float into shards (rows) so concurrent cash-ins reserve on different rows
 * instead of queueing on one (see src/wallets/float-shards.ts). An existing float moves to shard 0
 * with its reservations; the first reservation that misses spreads it over the other shards.
 */
export class ShardMerchantFloat1767312000000 implements MigrationInterface {
  name = 'ShardMerchantFloat1767312000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE float_shards (
        shard smallint PRIMARY KEY CHECK (shard >= 0),
        balance bigint NOT NULL CHECK (balance >= 0),
        reserved bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT float_shards_reserved_within_balance CHECK (reserved <= balance)
      )`);
    await queryRunner.query(`
      INSERT INTO float_shards (shard, balance, reserved)
      SELECT s, CASE WHEN s = 0 THEN f.balance ELSE 0 END, CASE WHEN s = 0 THEN f.reserved ELSE 0 END
        FROM merchant_float f CROSS JOIN generate_series(0, 15) AS s`);
    await queryRunner.query(`ALTER TABLE float_holds ADD COLUMN shard smallint NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE float_holds ALTER COLUMN shard DROP DEFAULT`);
    await queryRunner.query(`DROP TABLE merchant_float`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE merchant_float (
        id smallint PRIMARY KEY CHECK (id = 1),
        balance bigint NOT NULL CHECK (balance >= 0),
        reserved bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT merchant_float_reserved_within_balance CHECK (reserved <= balance)
      )`);
    await queryRunner.query(`
      INSERT INTO merchant_float (id, balance, reserved)
      SELECT 1, sum(balance), sum(reserved) FROM float_shards HAVING count(*) > 0`);
    await queryRunner.query(`ALTER TABLE float_holds DROP COLUMN shard`);
    await queryRunner.query(`DROP TABLE float_shards`);
  }
}
