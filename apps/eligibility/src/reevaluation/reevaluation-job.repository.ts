import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '../shared/sql';
import { ReevaluationJobEntity } from './reevaluation-job.entity';

const columns = `job_id AS "jobId", programme_id AS "programmeId", rules_version AS "rulesVersion", cause,
  requested_by AS "requestedBy", requested_at AS "requestedAt", status, phase, cursor, total, processed,
  decisions_changed AS "decisionsChanged", became_eligible AS "becameEligible", became_ineligible AS "becameIneligible",
  awards_granted AS "awardsGranted", awards_suspended AS "awardsSuspended", awards_reinstated AS "awardsReinstated",
  awards_revoked AS "awardsRevoked", chunks, started_at AS "startedAt", finished_at AS "finishedAt", error`;

function toEntity(row: ReevaluationJobEntity): ReevaluationJobEntity {
  return Object.assign(new ReevaluationJobEntity(), row);
}

@Injectable()
export class ReevaluationJobRepository {
  async insert(manager: EntityManager, job: ReevaluationJobEntity): Promise<void> {
    await manager.insert(ReevaluationJobEntity, job);
  }

  /** The job, locked: only one worker steps a job at a time, even if BullMQ ever ran it twice. */
  async lock(manager: EntityManager, jobId: string): Promise<ReevaluationJobEntity | null> {
    const rows = await queryRows<ReevaluationJobEntity>(
      manager,
      `SELECT ${columns} FROM reevaluation_jobs WHERE job_id = $1 FOR UPDATE`,
      [jobId],
    );
    return rows[0] ? toEntity(rows[0]) : null;
  }

  async find(
    manager: EntityManager,
    programmeId: string,
    jobId: string,
  ): Promise<ReevaluationJobEntity | null> {
    const rows = await queryRows<ReevaluationJobEntity>(
      manager,
      `SELECT ${columns} FROM reevaluation_jobs WHERE job_id = $1 AND programme_id = $2`,
      [jobId, programmeId],
    );
    return rows[0] ? toEntity(rows[0]) : null;
  }

  async latestForProgramme(
    manager: EntityManager,
    programmeId: string,
    limit: number,
  ): Promise<ReevaluationJobEntity[]> {
    const rows = await queryRows<ReevaluationJobEntity>(
      manager,
      `SELECT ${columns} FROM reevaluation_jobs WHERE programme_id = $1 ORDER BY requested_at DESC, job_id LIMIT $2`,
      [programmeId, limit],
    );
    return rows.map(toEntity);
  }

  async save(manager: EntityManager, job: ReevaluationJobEntity): Promise<void> {
    await manager.update(
      ReevaluationJobEntity,
      { jobId: job.jobId },
      {
        status: job.status,
        phase: job.phase,
        cursor: job.cursor,
        total: job.total,
        processed: job.processed,
        decisionsChanged: job.decisionsChanged,
        becameEligible: job.becameEligible,
        becameIneligible: job.becameIneligible,
        awardsGranted: job.awardsGranted,
        awardsSuspended: job.awardsSuspended,
        awardsReinstated: job.awardsReinstated,
        awardsRevoked: job.awardsRevoked,
        chunks: job.chunks,
        startedAt: job.startedAt,
        finishedAt: job.finishedAt,
        error: job.error,
      },
    );
  }

  async markFailed(manager: EntityManager, jobId: string, error: string): Promise<void> {
    await manager.query(
      `UPDATE reevaluation_jobs SET status = 'failed', error = $2, finished_at = now() WHERE job_id = $1 AND status IN ('queued', 'running')`,
      [jobId, error.slice(0, 2000)],
    );
  }

  /** Programmes with a re-evaluation queued or running: their new awards wait for its ranked award phase. */
  async programmesBeingReevaluated(manager: EntityManager): Promise<Set<string>> {
    const rows = await queryRows<{ programmeId: string }>(
      manager,
      `SELECT DISTINCT programme_id AS "programmeId" FROM reevaluation_jobs WHERE status IN ('queued', 'running')`,
    );
    return new Set(rows.map((row) => row.programmeId));
  }

  async unfinishedJobIds(manager: EntityManager): Promise<string[]> {
    const rows = await queryRows<{ jobId: string }>(
      manager,
      `SELECT job_id AS "jobId" FROM reevaluation_jobs WHERE status IN ('queued', 'running') ORDER BY requested_at`,
    );
    return rows.map((row) => row.jobId);
  }
}
