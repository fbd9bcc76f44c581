import { currentSchema } from '@scholarpay/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The balance trigger looked up every posting an INSERT touched in the whole ledger; on a large
 * ledger the planner could scan it for each statement. It now checks the statement's own entries:
 * each INSERT statement's entries must sum to zero per posting (with at least two per posting).
 * That is enough: if every statement adds zero to each posting, every posting stays at zero.
 */
export class LedgerBalanceCheckPerStatement1764300000001 implements MigrationInterface {
  name = 'LedgerBalanceCheckPerStatement1764300000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${currentSchema(queryRunner)}"`;
    await queryRunner.query(`CREATE OR REPLACE FUNCTION ${s}.ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        unbalanced bigint;
      BEGIN
        SELECT posting_id INTO unbalanced
          FROM inserted_entries
         GROUP BY posting_id
        HAVING sum(amount) <> 0 OR count(*) < 2
         LIMIT 1;
        IF unbalanced IS NOT NULL THEN
          RAISE EXCEPTION 'ledger posting % does not balance to zero', unbalanced USING ERRCODE = 'P0002';
        END IF;
        RETURN NULL;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${currentSchema(queryRunner)}"`;
    await queryRunner.query(`CREATE OR REPLACE FUNCTION ${s}.ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        unbalanced bigint;
      BEGIN
        SELECT e.posting_id INTO unbalanced
          FROM ${s}.ledger_entries e
         WHERE e.posting_id IN (SELECT DISTINCT posting_id FROM inserted_entries)
         GROUP BY e.posting_id
        HAVING sum(e.amount) <> 0 OR count(*) < 2
         LIMIT 1;
        IF unbalanced IS NOT NULL THEN
          RAISE EXCEPTION 'ledger posting % does not balance to zero', unbalanced USING ERRCODE = 'P0002';
        END IF;
        RETURN NULL;
      END $$`);
  }
}
