import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 64 float shards instead of 16 (fewer concurrent cash-ins meet on one row). On a float that already
 * exists the new shards start empty; the first reservation that misses spreads the float over them.
 * A new database gets all 64 from MerchantFloatRepository.ensureExists.
 */
export class MoreFloatShards1767398400000 implements MigrationInterface {
  name = 'MoreFloatShards1767398400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      INSERT INTO float_shards (shard, balance, reserved)
      SELECT s, 0, 0 FROM generate_series(16, 63) AS s WHERE EXISTS (SELECT 1 FROM float_shards)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Give the free float of shards 16..63 back to shard 0 before removing them; their holds move too.
    await queryRunner.query(`
      UPDATE float_shards SET balance = balance + (SELECT coalesce(sum(balance), 0) FROM float_shards WHERE shard >= 16),
                              reserved = reserved + (SELECT coalesce(sum(reserved), 0) FROM float_shards WHERE shard >= 16)
       WHERE shard = 0`);
    await queryRunner.query(`UPDATE float_holds SET shard = 0 WHERE shard >= 16`);
    await queryRunner.query(`DELETE FROM float_shards WHERE shard >= 16`);
  }
}
