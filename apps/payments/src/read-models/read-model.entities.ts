import { bigintToNumber } from '@scholarpay/database';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A programme as eligibility last defined it (latest version wins). */
@Entity('programmes')
export class ProgrammeEntity {
  @PrimaryColumn({ type: 'uuid' })
  programmeId: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'text' })
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

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

/** An award as eligibility last described it; an older version arriving late is ignored. */
@Entity('awards')
export class AwardEntity {
  @PrimaryColumn({ type: 'uuid' })
  awardId: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'uuid' })
  programmeId: string;

  @Column({ type: 'text' })
  programmeCode: string;

  @Column({ type: 'uuid' })
  studentId: string;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  monthlyStipend: number;

  @Column({ type: 'text' })
  firstMonth: string;

  @Column({ type: 'text' })
  lastMonth: string;

  @Column({ type: 'text' })
  status: 'active' | 'suspended' | 'revoked';

  @Column({ type: 'timestamptz' })
  awardedAt: Date;

  /** A revoked award's month of revocation (null otherwise, or when the event did not say). */
  @Column({ type: 'text', nullable: true })
  revokedInMonth: string | null;

  @Column({ type: 'text' })
  lastReason: string;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

/** Who a payout goes to: the student's phone, operator and status, from enrolment's snapshots. */
@Entity('payees')
export class PayeeEntity {
  @PrimaryColumn({ type: 'uuid' })
  studentId: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'text' })
  fullName: string;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text', nullable: true })
  operator: 'orange' | 'moov' | null;

  @Column({ type: 'text' })
  status: 'enrolled' | 'suspended' | 'withdrawn' | 'graduated';

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

export const readModelEntities = [ProgrammeEntity, AwardEntity, PayeeEntity];
