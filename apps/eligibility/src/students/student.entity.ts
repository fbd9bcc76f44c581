import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Eligibility's read model of a student, built only from enrolment's events. No national id and no
 * phone number: rules never need them (`hasPhone` and `operator` are enough), so they are not kept.
 */
@Entity('students')
export class StudentEntity {
  @PrimaryColumn({ type: 'uuid' })
  studentId: string;

  /** The enrolment snapshot version this row holds; an older snapshot never replaces a newer one. */
  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'text' })
  firstName: string;

  @Column({ type: 'text' })
  lastName: string;

  @Column({ type: 'text' })
  sex: string;

  @Column({ type: 'date' })
  dateOfBirth: string;

  @Column({ type: 'text' })
  regionOfOrigin: string;

  @Column({ type: 'uuid' })
  schoolId: string;

  @Column({ type: 'text' })
  schoolCode: string;

  @Column({ type: 'text' })
  programmeOfStudy: string;

  @Column({ type: 'int' })
  intakeYear: number;

  @Column({ type: 'boolean' })
  hasPhone: boolean;

  @Column({ type: 'text', nullable: true })
  operator: string | null;

  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'timestamptz' })
  enrolledAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}
