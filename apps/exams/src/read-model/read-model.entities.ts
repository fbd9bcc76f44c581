import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintToNumber } from '@scholarpay/database';

/** What exams knows of a student, from enrolment's snapshots; `version` orders them. */
@Entity('students')
export class StudentEntity {
  @PrimaryColumn({ type: 'uuid' })
  studentId: string;

  @Column({ type: 'int' })
  version: number;

  /** Normalised (upper case, no spaces) for look-ups. Never logged. */
  @Column({ type: 'text' })
  nationalId: string;

  @Column({ type: 'uuid' })
  schoolId: string;

  @Column({ type: 'text' })
  schoolCode: string;

  @Column({ type: 'text' })
  regionOfOrigin: string;

  @Column({ type: 'int' })
  intakeYear: number;

  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A scholarship award, from eligibility's snapshots; `version` orders them. */
@Entity('awards')
export class AwardEntity {
  @PrimaryColumn({ type: 'uuid' })
  awardId: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'uuid' })
  studentId: string;

  @Column({ type: 'uuid' })
  programmeId: string;

  @Column({ type: 'text' })
  programmeCode: string;

  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'timestamptz' })
  awardedAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A stipend that reached the student's wallet, from payments' payout-succeeded events. */
@Entity('stipend_payouts')
export class StipendPayoutEntity {
  @PrimaryColumn({ type: 'uuid' })
  payoutId: string;

  @Column({ type: 'uuid' })
  studentId: string;

  @Column({ type: 'uuid' })
  awardId: string;

  @Column({ type: 'uuid' })
  programmeId: string;

  /** YYYY-MM: the stipend month paid. */
  @Column({ type: 'text' })
  month: string;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  amount: number;

  @Column({ type: 'timestamptz' })
  completedAt: Date;

  @Column({ type: 'timestamptz' })
  receivedAt: Date;
}
