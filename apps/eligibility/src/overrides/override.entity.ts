import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A programme administrator's forced decision for one student, with who, when and why. */
@Entity('overrides')
export class OverrideEntity {
  @PrimaryColumn({ type: 'uuid' })
  overrideId: string;

  @Column({ type: 'uuid' })
  programmeId: string;

  @Column({ type: 'uuid' })
  studentId: string;

  @Column({ type: 'text' })
  decision: 'eligible' | 'ineligible';

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'text' })
  createdBy: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  /** Set when a later override replaces this one; the one without is in force. */
  @Column({ type: 'timestamptz', nullable: true })
  supersededAt: Date | null;
}
