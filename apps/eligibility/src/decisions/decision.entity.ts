import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RuleOutcome } from '../rules/rule-explainer';

/**
 * A student's current eligibility decision for one programme: the verdict. Its explanation is in
 * `decision_history` as published, and computed afresh against the rules in force when read.
 */
@Entity('decisions')
export class DecisionEntity {
  @PrimaryColumn({ type: 'uuid' })
  programmeId: string;

  @PrimaryColumn({ type: 'uuid' })
  studentId: string;

  /** Changes whenever the decision (eligible or overridden) changes and a new one is published. */
  @Column({ type: 'uuid', unique: true })
  decisionId: string;

  /** The decision in force: the override's when there is one, else the rules'. */
  @Column({ type: 'boolean' })
  eligible: boolean;

  /** What the rules alone say. */
  @Column({ type: 'boolean' })
  rulesEligible: boolean;

  @Column({ type: 'boolean' })
  overridden: boolean;

  @Column({ type: 'int' })
  rulesVersion: number;

  @Column({ type: 'timestamptz' })
  decidedAt: Date;

  /** When the student last became eligible: their place in a first-come, first-served waiting list. */
  @Column({ type: 'timestamptz', nullable: true })
  eligibleSince: Date | null;
}

/** Every published decision, kept for audit. */
@Entity('decision_history')
export class DecisionHistoryEntity {
  @PrimaryColumn({ type: 'uuid' })
  decisionId: string;

  @Column({ type: 'uuid' })
  programmeId: string;

  @Column({ type: 'uuid' })
  studentId: string;

  @Column({ type: 'boolean' })
  eligible: boolean;

  @Column({ type: 'boolean' })
  rulesEligible: boolean;

  @Column({ type: 'boolean' })
  overridden: boolean;

  @Column({ type: 'jsonb' })
  outcomes: RuleOutcome[];

  @Column({ type: 'int' })
  rulesVersion: number;

  /** What caused the decision: a student event, an override, a rules change, a new programme. */
  @Column({ type: 'text' })
  cause: string;

  @Column({ type: 'text' })
  decidedBy: string;

  @Column({ type: 'timestamptz' })
  decidedAt: Date;
}
