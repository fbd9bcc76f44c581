import { bigintToNumber } from '@scholarpay/database';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Ranking } from '../rules/ranking';
import type { RuleSet } from '../rules/rule-set';

/** A scholarship programme: its terms, its rules, and what its awards already hold. */
@Entity('programmes')
export class ProgrammeEntity {
  @PrimaryColumn({ type: 'uuid' })
  programmeId: string;

  @Column({ type: 'text', unique: true })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  monthlyStipend: number;

  @Column({ type: 'text' })
  firstMonth: string;

  @Column({ type: 'text' })
  lastMonth: string;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  budget: number;

  @Column({ type: 'int', nullable: true })
  maxAwards: number | null;

  @Column({ type: 'jsonb' })
  rules: RuleSet;

  @Column({ type: 'jsonb', nullable: true })
  ranking: Ranking | null;

  /** Grows with every change of rules or ranking. */
  @Column({ type: 'int' })
  rulesVersion: number;

  /** The version of the programme snapshot published in programme-defined events. */
  @Column({ type: 'int' })
  version: number;

  /** Active and suspended awards. */
  @Column({ type: 'int' })
  awardsHeld: number;

  /** What the programme's awards commit, in XOF (see AwardCapacity). */
  @Column({ type: 'bigint', transformer: bigintToNumber })
  committedAmount: number;

  @Column({ type: 'text' })
  createdBy: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'text' })
  updatedBy: string;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

/** Every rule set a programme has had: who set it, when and why. */
@Entity('programme_rule_versions')
export class ProgrammeRuleVersionEntity {
  @PrimaryColumn({ type: 'uuid' })
  programmeId: string;

  @PrimaryColumn({ type: 'int' })
  rulesVersion: number;

  @Column({ type: 'jsonb' })
  rules: RuleSet;

  @Column({ type: 'jsonb', nullable: true })
  ranking: Ranking | null;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'text' })
  changedBy: string;

  @Column({ type: 'timestamptz' })
  changedAt: Date;
}
