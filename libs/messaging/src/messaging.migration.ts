import { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbox and inbox tables, created in the schema of whichever service runs this migration. */
export class MessagingTables1763900000000 implements MigrationInterface {
  name = 'MessagingTables1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = currentSchema(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${schema}"."outbox_events" (
        "seq" bigserial PRIMARY KEY,
        "event_id" uuid NOT NULL UNIQUE,
        "topic" text NOT NULL,
        "message_key" text NOT NULL,
        "event_type" text NOT NULL,
        "envelope" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "sent_at" timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX "outbox_events_unsent_idx" ON "${schema}"."outbox_events" ("seq") WHERE sent_at IS NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE "${schema}"."inbox_events" (
        "consumer" text NOT NULL,
        "event_id" uuid NOT NULL,
        "event_type" text NOT NULL,
        "topic" text NOT NULL,
        "partition" int NOT NULL,
        "offset" bigint NOT NULL,
        "processed_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("consumer", "event_id")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = currentSchema(queryRunner);
    await queryRunner.query(`DROP TABLE "${schema}"."inbox_events"`);
    await queryRunner.query(`DROP TABLE "${schema}"."outbox_events"`);
  }
}

export function currentSchema(queryRunner: QueryRunner): string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  if (!schema) throw new Error('the data source has no schema; every service owns one');
  return schema;
}

export const messagingMigrations = [MessagingTables1763900000000];
