import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The mock provider's tables. The `mobile_money` schema itself is created by migrateServiceSchema;
 * search_path points at it, so names are unqualified.
 */
export class CreateProviderTables1767225600000 implements MigrationInterface {
  name = 'CreateProviderTables1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE access_tokens (
        token_hash char(64) PRIMARY KEY,
        client_id text NOT NULL,
        issued_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX access_tokens_expires_at_idx ON access_tokens (expires_at)`);

    await queryRunner.query(`
      CREATE TABLE merchant_float (
        id smallint PRIMARY KEY CHECK (id = 1),
        balance bigint NOT NULL CHECK (balance >= 0),
        reserved bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT merchant_float_reserved_within_balance CHECK (reserved <= balance)
      )`);
    await queryRunner.query(`
      CREATE TABLE float_topups (
        id uuid PRIMARY KEY,
        amount bigint NOT NULL CHECK (amount > 0),
        balance_after bigint NOT NULL,
        topped_up_by text NOT NULL,
        note text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE subscribers (
        msisdn text PRIMARY KEY,
        kyc_level smallint NOT NULL CHECK (kyc_level BETWEEN 1 AND 3),
        blocked boolean NOT NULL DEFAULT false,
        balance bigint NOT NULL DEFAULT 0 CHECK (balance >= 0),
        daily_credit_date date,
        daily_credit_total bigint NOT NULL DEFAULT 0 CHECK (daily_credit_total >= 0),
        created_by text NOT NULL,
        updated_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE cashins (
        id bigserial PRIMARY KEY,
        transaction_id text NOT NULL UNIQUE,
        reference_id uuid NOT NULL,
        payload_hash char(64) NOT NULL,
        msisdn text NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        merchant_reference text NOT NULL,
        description text,
        callback_url text,
        client_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'SUCCESS', 'FAILED')),
        reason_code text,
        due_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        completed_at timestamptz,
        status_visible_at timestamptz,
        callback_plan jsonb,
        CONSTRAINT cashins_reference_id_unique UNIQUE (reference_id),
        CONSTRAINT cashins_completed_iff_final CHECK ((status = 'PENDING') = (completed_at IS NULL)),
        CONSTRAINT cashins_reason_iff_failed CHECK ((status = 'FAILED') = (reason_code IS NOT NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX cashins_pending_due_idx ON cashins (due_at) WHERE status = 'PENDING'`,
    );
    await queryRunner.query(`CREATE INDEX cashins_created_idx ON cashins (created_at, id)`);

    // One hold per cash-in that found enough float at acceptance; merchant_float.reserved is their sum.
    await queryRunner.query(`
      CREATE TABLE float_holds (
        cashin_id bigint PRIMARY KEY REFERENCES cashins (id),
        amount bigint NOT NULL CHECK (amount > 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE callback_deliveries (
        id bigserial PRIMARY KEY,
        cashin_id bigint NOT NULL REFERENCES cashins (id),
        url text NOT NULL,
        payload text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('FINAL', 'DUPLICATE', 'EARLY_PENDING')),
        status text NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED', 'DROPPED')),
        attempts int NOT NULL DEFAULT 0,
        max_attempts int NOT NULL CHECK (max_attempts >= 1),
        next_attempt_at timestamptz NOT NULL,
        last_response_status int,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX callback_deliveries_due_idx ON callback_deliveries (next_attempt_at) WHERE status = 'PENDING'`,
    );
    await queryRunner.query(`CREATE INDEX callback_deliveries_cashin_idx ON callback_deliveries (cashin_id)`);

    await queryRunner.query(`
      CREATE TABLE sms_messages (
        id bigserial PRIMARY KEY,
        sms_id uuid NOT NULL UNIQUE,
        to_msisdn text NOT NULL,
        message text NOT NULL,
        reference text UNIQUE,
        client_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(`CREATE INDEX sms_messages_to_idx ON sms_messages (to_msisdn, id)`);

    await queryRunner.query(`
      CREATE TABLE fault_config_changes (
        id bigserial PRIMARY KEY,
        config jsonb NOT NULL,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'fault_config_changes',
      'sms_messages',
      'callback_deliveries',
      'float_holds',
      'cashins',
      'subscribers',
      'float_topups',
      'merchant_float',
      'access_tokens',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
