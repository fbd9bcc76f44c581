import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '../shared/sql';
import { OverrideEntity } from './override.entity';

const columns = `override_id AS "overrideId", programme_id AS "programmeId", student_id AS "studentId", decision, reason,
  created_by AS "createdBy", created_at AS "createdAt", superseded_at AS "supersededAt"`;

@Injectable()
export class OverrideRepository {
  /** The overrides in force for these students in the programme. */
  async findInForce(
    manager: EntityManager,
    programmeId: string,
    studentIds: string[],
  ): Promise<Map<string, OverrideEntity>> {
    if (studentIds.length === 0) return new Map();
    const rows = await queryRows<OverrideEntity>(
      manager,
      `SELECT ${columns} FROM overrides WHERE programme_id = $1 AND student_id = ANY($2::uuid[]) AND superseded_at IS NULL`,
      [programmeId, studentIds],
    );
    return new Map(rows.map((row) => [row.studentId, row]));
  }

  /** Records an override; the one it replaces (if any) stays, marked superseded, for the audit trail. */
  async supersedeAndRecord(manager: EntityManager, override: OverrideEntity): Promise<OverrideEntity | null> {
    const [replaced] = await queryRows<OverrideEntity>(
      manager,
      `UPDATE overrides SET superseded_at = $3 WHERE programme_id = $1 AND student_id = $2 AND superseded_at IS NULL RETURNING ${columns}`,
      [override.programmeId, override.studentId, override.createdAt],
    );
    await manager.insert(OverrideEntity, override);
    return replaced ?? null;
  }

  /** Every override of a student, newest first, in every programme. */
  async historyOfStudent(manager: EntityManager, studentId: string): Promise<OverrideEntity[]> {
    return queryRows<OverrideEntity>(
      manager,
      `SELECT ${columns} FROM overrides WHERE student_id = $1 ORDER BY created_at DESC`,
      [studentId],
    );
  }
}
