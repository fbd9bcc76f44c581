import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The fault configuration survives a restart. `fault_config_changes` stays the append-only history
 * of PUT/DELETE /admin/faults and now records which of the two it was and the seed the change
 * started its random stream from; `fault_config_current` (one row) points at the change in force.
 *
 * The pointer starts NULL ("the environment's MOBILE_MONEY_FAULTS"), even when the history already
 * has rows: those were made while run-time changes lived in memory only and were undone by every
 * restart, so reviving the newest of them on the first boot after this migration would surprise.
 * The pointer's change id also serves as the version number other provider processes poll.
 */
export class PersistFaultConfig1767484800000 implements MigrationInterface {
  name = 'PersistFaultConfig1767484800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // NULL in rows written before this migration, which did not tell a PUT {} from a DELETE.
    await queryRunner.query(
      `ALTER TABLE fault_config_changes ADD COLUMN action text CHECK (action IN ('replace', 'clear'))`,
    );
    await queryRunner.query(
      `ALTER TABLE fault_config_changes ADD COLUMN seed bigint CHECK (seed BETWEEN 0 AND 4294967295)`,
    );
    // The history is an audit trail: a change may be superseded, never edited or removed.
    await queryRunner.query(`
      CREATE FUNCTION fault_config_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'fault_config_changes is append-only (% refused)', TG_OP;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER fault_config_changes_append_only BEFORE UPDATE OR DELETE ON fault_config_changes
        FOR EACH ROW EXECUTE FUNCTION fault_config_changes_append_only()`);
    await queryRunner.query(`
      CREATE TABLE fault_config_current (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        change_id bigint REFERENCES fault_config_changes (id),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`INSERT INTO fault_config_current (id, change_id) VALUES (1, NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE fault_config_current`);
    await queryRunner.query(`DROP TRIGGER fault_config_changes_append_only ON fault_config_changes`);
    await queryRunner.query(`DROP FUNCTION fault_config_changes_append_only()`);
    await queryRunner.query(`ALTER TABLE fault_config_changes DROP COLUMN seed`);
    await queryRunner.query(`ALTER TABLE fault_config_changes DROP COLUMN action`);
  }
}
