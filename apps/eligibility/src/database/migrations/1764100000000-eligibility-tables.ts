import { currentSchema } from '@scholarpay/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Eligibility's tables: the student read model (from enrolment's events), programmes with their
 * rule versions, current decisions and their history, overrides, awards with every transition, and
 * re-evaluation jobs. Invariants that money depends on are constraints, not only code: one live
 * award per student and programme, places and committed money within the programme's limits.
 */
export class EligibilityTables1764100000000 implements MigrationInterface {
  name = 'EligibilityTables1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = currentSchema(queryRunner);
    const month = (column: string) => `CHECK (${column} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')`;

    await queryRunner.query(`
      CREATE TABLE "${s}"."students" (
        "student_id" uuid PRIMARY KEY,
        "version" int NOT NULL CHECK (version > 0),
        "first_name" text NOT NULL,
        "last_name" text NOT NULL,
        "sex" text NOT NULL,
        "date_of_birth" date NOT NULL,
        "region_of_origin" text NOT NULL,
        "school_id" uuid NOT NULL,
        "school_code" text NOT NULL,
        "programme_of_study" text NOT NULL,
        "intake_year" int NOT NULL,
        "has_phone" boolean NOT NULL,
        "operator" text,
        "status" text NOT NULL CHECK (status IN ('enrolled', 'suspended', 'withdrawn', 'graduated')),
        "enrolled_at" timestamptz NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE "${s}"."programmes" (
        "programme_id" uuid PRIMARY KEY,
        "code" text NOT NULL UNIQUE,
        "name" text NOT NULL,
        "monthly_stipend" bigint NOT NULL CHECK (monthly_stipend > 0),
        "first_month" text NOT NULL ${month('first_month')},
        "last_month" text NOT NULL ${month('last_month')},
        "budget" bigint NOT NULL,
        "max_awards" int CHECK (max_awards > 0),
        "rules" jsonb NOT NULL,
        "ranking" jsonb,
        "rules_version" int NOT NULL DEFAULT 1,
        "version" int NOT NULL DEFAULT 1,
        "awards_held" int NOT NULL DEFAULT 0,
        "committed_amount" bigint NOT NULL DEFAULT 0,
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_by" text NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "programmes_months_ordered" CHECK (first_month <= last_month),
        CONSTRAINT "programmes_budget_covers_a_month" CHECK (budget >= monthly_stipend),
        CONSTRAINT "programmes_places_within_limit" CHECK (awards_held >= 0 AND (max_awards IS NULL OR awards_held <= max_awards)),
        CONSTRAINT "programmes_commitments_within_budget" CHECK (committed_amount >= 0 AND committed_amount <= budget)
      )`);

    await queryRunner.query(`
      CREATE TABLE "${s}"."programme_rule_versions" (
        "programme_id" uuid NOT NULL REFERENCES "${s}"."programmes" (programme_id),
        "rules_version" int NOT NULL,
        "rules" jsonb NOT NULL,
        "ranking" jsonb,
        "reason" text NOT NULL,
        "changed_by" text NOT NULL,
        "changed_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("programme_id", "rules_version")
      )`);

    await queryRunner.query(`
      CREATE TABLE "${s}"."decisions" (
        "programme_id" uuid NOT NULL REFERENCES "${s}"."programmes" (programme_id),
        "student_id" uuid NOT NULL REFERENCES "${s}"."students" (student_id),
        "decision_id" uuid NOT NULL UNIQUE,
        "eligible" boolean NOT NULL,
        "rules_eligible" boolean NOT NULL,
        "overridden" boolean NOT NULL,
        "outcomes" jsonb NOT NULL,
        "failures" jsonb NOT NULL,
        "rules_version" int NOT NULL,
        "decided_at" timestamptz NOT NULL,
        "eligible_since" timestamptz,
        PRIMARY KEY ("programme_id", "student_id")
      )`);
    await queryRunner.query(`CREATE INDEX "decisions_student_idx" ON "${s}"."decisions" ("student_id")`);
    await queryRunner.query(
      `CREATE INDEX "decisions_eligible_idx" ON "${s}"."decisions" ("programme_id", "eligible_since", "student_id") WHERE eligible`,
    );

    await queryRunner.query(`
      CREATE TABLE "${s}"."decision_history" (
        "decision_id" uuid PRIMARY KEY,
        "programme_id" uuid NOT NULL,
        "student_id" uuid NOT NULL,
        "eligible" boolean NOT NULL,
        "rules_eligible" boolean NOT NULL,
        "overridden" boolean NOT NULL,
        "outcomes" jsonb NOT NULL,
        "rules_version" int NOT NULL,
        "cause" text NOT NULL,
        "decided_by" text NOT NULL,
        "decided_at" timestamptz NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX "decision_history_student_idx" ON "${s}"."decision_history" ("student_id", "programme_id", "decided_at")`,
    );

    await queryRunner.query(`
      CREATE TABLE "${s}"."overrides" (
        "override_id" uuid PRIMARY KEY,
        "programme_id" uuid NOT NULL REFERENCES "${s}"."programmes" (programme_id),
        "student_id" uuid NOT NULL REFERENCES "${s}"."students" (student_id),
        "decision" text NOT NULL CHECK (decision IN ('eligible', 'ineligible')),
        "reason" text NOT NULL CHECK (length(btrim(reason)) > 0),
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "superseded_at" timestamptz
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "overrides_one_in_force" ON "${s}"."overrides" ("programme_id", "student_id") WHERE superseded_at IS NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE "${s}"."awards" (
        "award_id" uuid PRIMARY KEY,
        "programme_id" uuid NOT NULL REFERENCES "${s}"."programmes" (programme_id),
        "student_id" uuid NOT NULL REFERENCES "${s}"."students" (student_id),
        "version" int NOT NULL CHECK (version > 0),
        "status" text NOT NULL CHECK (status IN ('active', 'suspended', 'revoked')),
        "monthly_stipend" bigint NOT NULL CHECK (monthly_stipend > 0),
        "first_month" text NOT NULL ${month('first_month')},
        "last_month" text NOT NULL ${month('last_month')},
        "committed_amount" bigint NOT NULL CHECK (committed_amount >= 0),
        "awarded_at" timestamptz NOT NULL,
        "awarded_by" text NOT NULL,
        "status_reason" text NOT NULL,
        "status_changed_by" text NOT NULL,
        "status_changed_at" timestamptz NOT NULL,
        "revoked_in_month" text,
        CONSTRAINT "awards_months_ordered" CHECK (first_month <= last_month)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "awards_one_live_per_student" ON "${s}"."awards" ("programme_id", "student_id") WHERE status <> 'revoked'`,
    );
    await queryRunner.query(
      `CREATE INDEX "awards_programme_idx" ON "${s}"."awards" ("programme_id", "awarded_at", "award_id")`,
    );
    await queryRunner.query(`CREATE INDEX "awards_student_idx" ON "${s}"."awards" ("student_id")`);

    await queryRunner.query(`
      CREATE TABLE "${s}"."award_transitions" (
        "award_id" uuid NOT NULL REFERENCES "${s}"."awards" (award_id),
        "version" int NOT NULL,
        "transition" text NOT NULL CHECK (transition IN ('grant', 'suspend', 'reinstate', 'revoke')),
        "from_status" text,
        "to_status" text NOT NULL,
        "reason" text NOT NULL,
        "changed_by" text NOT NULL,
        "changed_at" timestamptz NOT NULL,
        "event_id" uuid NOT NULL,
        PRIMARY KEY ("award_id", "version")
      )`);

    await queryRunner.query(`
      CREATE TABLE "${s}"."reevaluation_jobs" (
        "job_id" uuid PRIMARY KEY,
        "programme_id" uuid NOT NULL REFERENCES "${s}"."programmes" (programme_id),
        "rules_version" int NOT NULL,
        "cause" text NOT NULL CHECK (cause IN ('programme_created', 'rules_changed')),
        "requested_by" text NOT NULL,
        "requested_at" timestamptz NOT NULL DEFAULT now(),
        "status" text NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'superseded')),
        "phase" text NOT NULL CHECK (phase IN ('deciding', 'awarding', 'done')),
        "cursor" uuid,
        "total" int NOT NULL DEFAULT 0,
        "processed" int NOT NULL DEFAULT 0,
        "decisions_changed" int NOT NULL DEFAULT 0,
        "became_eligible" int NOT NULL DEFAULT 0,
        "became_ineligible" int NOT NULL DEFAULT 0,
        "awards_granted" int NOT NULL DEFAULT 0,
        "awards_suspended" int NOT NULL DEFAULT 0,
        "awards_reinstated" int NOT NULL DEFAULT 0,
        "awards_revoked" int NOT NULL DEFAULT 0,
        "chunks" int NOT NULL DEFAULT 0,
        "started_at" timestamptz,
        "finished_at" timestamptz,
        "error" text
      )`);
    await queryRunner.query(
      `CREATE INDEX "reevaluation_jobs_programme_idx" ON "${s}"."reevaluation_jobs" ("programme_id", "requested_at" DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX "reevaluation_jobs_unfinished_idx" ON "${s}"."reevaluation_jobs" ("programme_id") WHERE status IN ('queued', 'running')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = currentSchema(queryRunner);
    for (const table of [
      'reevaluation_jobs',
      'award_transitions',
      'awards',
      'overrides',
      'decision_history',
      'decisions',
      'programme_rule_versions',
      'programmes',
      'students',
    ]) {
      await queryRunner.query(`DROP TABLE "${s}"."${table}"`);
    }
  }
}
