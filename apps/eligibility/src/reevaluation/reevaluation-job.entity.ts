import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ReevaluationStatus = 'queued' | 'running' | 'completed' | 'failed' | 'superseded';
export type ReevaluationPhase = 'deciding' | 'awarding' | 'done';
export type ReevaluationCause = 'programme_created' | 'rules_changed';

/**
 * Deciding every student again for one programme, in chunks. The cursor and the counters are
 * committed with each chunk's effects, so a job retried after a crash resumes where it stopped.
 */
@Entity('reevaluation_jobs')
export class ReevaluationJobEntity {
  @PrimaryColumn({ type: 'uuid' })
  jobId: string;

  @Column({ type: 'uuid' })
  programmeId: string;

  /** The rule set this job applies; a newer one supersedes the job. */
  @Column({ type: 'int' })
  rulesVersion: number;

  @Column({ type: 'text' })
  cause: ReevaluationCause;

  @Column({ type: 'text' })
  requestedBy: string;

  @Column({ type: 'timestamptz' })
  requestedAt: Date;

  @Column({ type: 'text' })
  status: ReevaluationStatus;

  /** Deciding every student (keyset over student ids), then awarding in ranking order. */
  @Column({ type: 'text' })
  phase: ReevaluationPhase;

  /** The last student id decided. */
  @Column({ type: 'uuid', nullable: true })
  cursor: string | null;

  @Column({ type: 'int' })
  total: number;

  @Column({ type: 'int' })
  processed: number;

  @Column({ type: 'int' })
  decisionsChanged: number;

  @Column({ type: 'int' })
  becameEligible: number;

  @Column({ type: 'int' })
  becameIneligible: number;

  @Column({ type: 'int' })
  awardsGranted: number;

  @Column({ type: 'int' })
  awardsSuspended: number;

  @Column({ type: 'int' })
  awardsReinstated: number;

  @Column({ type: 'int' })
  awardsRevoked: number;

  @Column({ type: 'int' })
  chunks: number;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;
}
