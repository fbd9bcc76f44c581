import type { EntityManager } from 'typeorm';

/**
 * The set of programmes, as a lock (a transaction-scoped Postgres advisory lock). A student event
 * holds it shared while it decides the student in every programme there is; creating a programme
 * holds it exclusively. So a programme created while a student event is being applied waits for
 * that event to commit, and the new programme's first evaluation reads the student's newest facts:
 * no student event ever misses a programme.
 */
const PROGRAMME_SET = 'eligibility:programme-set';

export async function holdProgrammeSetShared(manager: EntityManager): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', [PROGRAMME_SET]);
}

export async function holdProgrammeSetExclusive(manager: EntityManager): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [PROGRAMME_SET]);
}
