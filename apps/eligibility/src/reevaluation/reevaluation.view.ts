import type { ReevaluationJobEntity } from './reevaluation-job.entity';

export interface ReevaluationView {
  jobId: string;
  programmeId: string;
  rulesVersion: number;
  cause: string;
  status: string;
  phase: string;
  processed: number;
  total: number;
  percent: number;
  changed: {
    decisions: number;
    becameEligible: number;
    becameIneligible: number;
    awardsGranted: number;
    awardsSuspended: number;
    awardsReinstated: number;
    awardsRevoked: number;
  };
  requestedBy: string;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  progressUrl: string;
}

export function reevaluationView(job: ReevaluationJobEntity): ReevaluationView {
  const percent =
    job.status === 'completed'
      ? 100
      : job.total > 0
        ? Math.min(99, Math.floor((job.processed / job.total) * 100))
        : 0;
  return {
    jobId: job.jobId,
    programmeId: job.programmeId,
    rulesVersion: job.rulesVersion,
    cause: job.cause,
    status: job.status,
    phase: job.phase,
    processed: job.processed,
    total: job.total,
    percent,
    changed: {
      decisions: job.decisionsChanged,
      becameEligible: job.becameEligible,
      becameIneligible: job.becameIneligible,
      awardsGranted: job.awardsGranted,
      awardsSuspended: job.awardsSuspended,
      awardsReinstated: job.awardsReinstated,
      awardsRevoked: job.awardsRevoked,
    },
    requestedBy: job.requestedBy,
    requestedAt: new Date(job.requestedAt).toISOString(),
    startedAt: job.startedAt ? new Date(job.startedAt).toISOString() : null,
    finishedAt: job.finishedAt ? new Date(job.finishedAt).toISOString() : null,
    error: job.error,
    progressUrl: `/api/v1/programmes/${job.programmeId}/evaluations/${job.jobId}`,
  };
}

export function newReevaluationJob(
  input: Pick<
    ReevaluationJobEntity,
    'jobId' | 'programmeId' | 'rulesVersion' | 'cause' | 'requestedBy' | 'requestedAt'
  >,
): ReevaluationJobEntity {
  return Object.assign(
    {
      status: 'queued',
      phase: 'deciding',
      cursor: null,
      total: 0,
      processed: 0,
      decisionsChanged: 0,
      becameEligible: 0,
      becameIneligible: 0,
      awardsGranted: 0,
      awardsSuspended: 0,
      awardsReinstated: 0,
      awardsRevoked: 0,
      chunks: 0,
      startedAt: null,
      finishedAt: null,
      error: null,
    },
    input,
  ) as ReevaluationJobEntity;
}
