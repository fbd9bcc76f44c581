import { currentSchema } from '@scholarpay/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The payments schema: read models (programmes, awards, payees) built from events; payout batches,
 * their lines, exclusions and audit trail; provider interactions; the double-entry ledger (append
 * only, every posting balanced, enforced by triggers); reconciliations.
 */
export class PaymentsSchema1764300000000 implements MigrationInterface {
  name = 'PaymentsSchema1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = `"${currentSchema(queryRunner)}"`;
    const statements = [
      // ---- read models (from eligibility's and enrolment's events) ----
      `CREATE TABLE ${s}.programmes (
        programme_id uuid PRIMARY KEY,
        version int NOT NULL,
        code text NOT NULL,
        name text NOT NULL,
        monthly_stipend bigint NOT NULL CHECK (monthly_stipend >= 0),
        first_month text NOT NULL,
        last_month text NOT NULL,
        budget bigint NOT NULL CHECK (budget >= 0),
        max_awards int,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE TABLE ${s}.awards (
        award_id uuid PRIMARY KEY,
        version int NOT NULL,
        programme_id uuid NOT NULL,
        programme_code text NOT NULL,
        student_id uuid NOT NULL,
        monthly_stipend bigint NOT NULL CHECK (monthly_stipend >= 0),
        first_month text NOT NULL,
        last_month text NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'suspended', 'revoked')),
        awarded_at timestamptz NOT NULL,
        last_reason text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX awards_programme_idx ON ${s}.awards (programme_id)`,
      `CREATE TABLE ${s}.payees (
        student_id uuid PRIMARY KEY,
        version int NOT NULL,
        full_name text NOT NULL,
        phone text,
        operator text,
        status text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,

      // ---- batches and lines ----
      `CREATE TABLE ${s}.payout_batches (
        id uuid PRIMARY KEY,
        programme_id uuid NOT NULL,
        programme_code text NOT NULL,
        month text NOT NULL CHECK (month ~ '^\\d{4}-(0[1-9]|1[0-2])$'),
        state text NOT NULL CHECK (state IN ('DRAFT','PENDING_APPROVAL','APPROVED','DISBURSING','COMPLETED','REJECTED','CLOSED','CANCELLED')),
        line_count int NOT NULL,
        total_amount bigint NOT NULL CHECK (total_amount >= 0),
        excluded_count int NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        submitted_by text,
        submitted_at timestamptz,
        approved_by text,
        approved_at timestamptz,
        rejected_by text,
        rejected_at timestamptz,
        rejection_reason text,
        disbursement_started_at timestamptz,
        completed_at timestamptz,
        summary jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX payout_batches_programme_month_idx ON ${s}.payout_batches (programme_id, month)`,
      `CREATE INDEX payout_batches_in_progress_idx ON ${s}.payout_batches (state) WHERE state IN ('APPROVED', 'DISBURSING')`,
      `CREATE TABLE ${s}.payout_lines (
        id uuid PRIMARY KEY,
        batch_id uuid NOT NULL REFERENCES ${s}.payout_batches (id),
        programme_id uuid NOT NULL,
        award_id uuid NOT NULL,
        student_id uuid NOT NULL,
        month text NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        phone text NOT NULL,
        operator text,
        payee_name text NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING','SUBMITTED','UNKNOWN','PAID','FAILED','RELEASED')),
        attempts int NOT NULL DEFAULT 0,
        checks int NOT NULL DEFAULT 0,
        provider_transaction_id text,
        provider_status text,
        reason_code text,
        reason text,
        first_sent_at timestamptz,
        last_sent_at timestamptz,
        completed_at timestamptz,
        next_check_at timestamptz,
        sms_sent_at timestamptz,
        sms_id text,
        sms_failure text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      // A student is never in two batches for one month: one live line per award and month.
      // FAILED lines (the student can be paid in a later batch) and RELEASED ones (cancelled or
      // closed batches) give their slot back.
      `CREATE UNIQUE INDEX payout_lines_one_live_per_award_month
         ON ${s}.payout_lines (award_id, month) WHERE status NOT IN ('FAILED', 'RELEASED')`,
      `CREATE INDEX payout_lines_batch_status_idx ON ${s}.payout_lines (batch_id, status)`,
      `CREATE INDEX payout_lines_programme_month_idx ON ${s}.payout_lines (programme_id, month)`,
      `CREATE INDEX payout_lines_due_idx ON ${s}.payout_lines (next_check_at) WHERE next_check_at IS NOT NULL`,
      `CREATE INDEX payout_lines_student_idx ON ${s}.payout_lines (student_id)`,
      `CREATE INDEX payout_lines_first_sent_idx ON ${s}.payout_lines (first_sent_at) WHERE first_sent_at IS NOT NULL`,
      `CREATE TABLE ${s}.payout_batch_exclusions (
        batch_id uuid NOT NULL REFERENCES ${s}.payout_batches (id),
        award_id uuid NOT NULL,
        student_id uuid NOT NULL,
        reason_code text NOT NULL,
        detail text NOT NULL,
        PRIMARY KEY (batch_id, award_id)
      )`,
      `CREATE TABLE ${s}.payout_batch_audit (
        id bigserial PRIMARY KEY,
        batch_id uuid NOT NULL REFERENCES ${s}.payout_batches (id),
        action text NOT NULL,
        from_state text,
        to_state text NOT NULL,
        actor text NOT NULL,
        reason text,
        details jsonb,
        at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX payout_batch_audit_batch_idx ON ${s}.payout_batch_audit (batch_id, id)`,

      // ---- every call to and from the provider ----
      `CREATE TABLE ${s}.provider_transactions (
        id bigserial PRIMARY KEY,
        line_id uuid NOT NULL,
        operation text NOT NULL CHECK (operation IN ('CASHIN', 'STATUS', 'CALLBACK', 'SMS')),
        http_status int,
        outcome text NOT NULL,
        provider_status text,
        provider_transaction_id text,
        reason_code text,
        detail text,
        duration_ms int,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX provider_transactions_line_idx ON ${s}.provider_transactions (line_id, id)`,

      // ---- the ledger ----
      `CREATE TABLE ${s}.ledger_postings (
        id bigserial PRIMARY KEY,
        posting_key text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('funding', 'committed', 'sent', 'settled', 'reversed')),
        programme_id uuid NOT NULL,
        student_id uuid,
        batch_id uuid,
        line_id uuid,
        description text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX ledger_postings_line_idx ON ${s}.ledger_postings (line_id) WHERE line_id IS NOT NULL`,
      `CREATE TABLE ${s}.ledger_entries (
        id bigserial PRIMARY KEY,
        posting_id bigint NOT NULL REFERENCES ${s}.ledger_postings (id),
        account text NOT NULL,
        account_type text NOT NULL CHECK (account_type IN ('programme_funding', 'programme_budget', 'student_payable', 'provider_clearing', 'provider_settled')),
        programme_id uuid NOT NULL,
        student_id uuid,
        line_id uuid,
        amount bigint NOT NULL CHECK (amount <> 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX ledger_entries_posting_idx ON ${s}.ledger_entries (posting_id)`,
      `CREATE INDEX ledger_entries_programme_idx ON ${s}.ledger_entries (programme_id, account_type)`,
      `CREATE INDEX ledger_entries_student_idx ON ${s}.ledger_entries (student_id, account_type) WHERE student_id IS NOT NULL`,
      `CREATE INDEX ledger_entries_account_idx ON ${s}.ledger_entries (account)`,
      `CREATE INDEX ledger_entries_line_idx ON ${s}.ledger_entries (line_id) WHERE line_id IS NOT NULL`,
      // Append-only: no UPDATE, DELETE or TRUNCATE, whoever asks.
      `CREATE FUNCTION ${s}.ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'the ledger is append-only: % on % is refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'P0001';
       END $$`,
      `CREATE TRIGGER ledger_postings_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${s}.ledger_postings
         FOR EACH STATEMENT EXECUTE FUNCTION ${s}.ledger_refuse_change()`,
      `CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${s}.ledger_entries
         FOR EACH STATEMENT EXECUTE FUNCTION ${s}.ledger_refuse_change()`,
      // Balanced: after each INSERT statement, every posting it touched has at least two entries summing to zero.
      `CREATE FUNCTION ${s}.ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
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
       END $$`,
      `CREATE TRIGGER ledger_entries_balanced AFTER INSERT ON ${s}.ledger_entries
         REFERENCING NEW TABLE AS inserted_entries
         FOR EACH STATEMENT EXECUTE FUNCTION ${s}.ledger_check_balanced()`,

      // ---- reconciliations ----
      `CREATE TABLE ${s}.reconciliations (
        id uuid PRIMARY KEY,
        batch_id uuid,
        period_from timestamptz NOT NULL,
        period_to timestamptz NOT NULL,
        requested_by text NOT NULL,
        statement_items int NOT NULL,
        lines_compared int NOT NULL,
        counts jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE TABLE ${s}.reconciliation_items (
        id bigserial PRIMARY KEY,
        reconciliation_id uuid NOT NULL REFERENCES ${s}.reconciliations (id),
        kind text NOT NULL,
        reference_id text NOT NULL,
        line_id uuid,
        batch_id uuid,
        provider_transaction_id text,
        provider_status text,
        line_status text,
        provider_amount bigint,
        ledger_amount bigint,
        detail text NOT NULL
      )`,
      `CREATE INDEX reconciliation_items_kind_idx ON ${s}.reconciliation_items (reconciliation_id, kind, id)`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = `"${currentSchema(queryRunner)}"`;
    for (const table of [
      'reconciliation_items',
      'reconciliations',
      'ledger_entries',
      'ledger_postings',
      'provider_transactions',
      'payout_batch_audit',
      'payout_batch_exclusions',
      'payout_lines',
      'payout_batches',
      'payees',
      'awards',
      'programmes',
    ]) {
      await queryRunner.query(`DROP TABLE ${s}.${table}`);
    }
    await queryRunner.query(`DROP FUNCTION ${s}.ledger_check_balanced()`);
    await queryRunner.query(`DROP FUNCTION ${s}.ledger_refuse_change()`);
  }
}
