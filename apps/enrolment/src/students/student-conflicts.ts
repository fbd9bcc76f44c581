import type { AuthenticatedUser } from '@scholarpay/auth';
import { AppError } from '@scholarpay/platform';
import { DataSource } from 'typeorm';
import { violatedUniqueConstraint } from '../common/database-errors';
import { StudentAccessPolicy } from './student-access.policy';
import { StudentHolder, StudentRepository } from './student.repository';
import { StudentErrors } from './students.errors';

/**
 * The id of the student holding a national id or phone, if the caller may read that student;
 * otherwise null, so a school administrator cannot learn who holds a number in another school.
 */
export function holderSeenBy(actor: AuthenticatedUser, holder: StudentHolder | null): string | null {
  return holder && StudentAccessPolicy.canRead(actor, holder.schoolId) ? holder.id : null;
}

/**
 * A write that lost a race to another one (two requests registering the same national id at once)
 * fails on a unique constraint after its own checks passed. This turns that failure into the same
 * 409 the checks give, looked up after the failed transaction has rolled back.
 */
export async function translateUniqueViolation(
  error: unknown,
  context: {
    dataSource: DataSource;
    students: StudentRepository;
    actor: AuthenticatedUser;
    studentId: string | null;
    nationalId: string;
    phone: string | null;
  },
): Promise<never> {
  const constraint = violatedUniqueConstraint(error);
  if (constraint === 'students_national_id_key') {
    const existing = await context.students.findNationalIdHolder(
      context.dataSource.manager,
      context.nationalId,
    );
    throw StudentErrors.nationalIdTaken(holderSeenBy(context.actor, existing));
  }
  if (constraint === 'students_active_phone_key' && context.phone) {
    const holder = await context.students.findActivePhoneHolder(
      context.dataSource.manager,
      context.phone,
      context.studentId,
    );
    throw StudentErrors.phoneTaken(holderSeenBy(context.actor, holder), context.studentId);
  }
  if (constraint !== null)
    throw AppError.conflict('STUDENT.CONFLICT', 'the change conflicts with another student record');
  throw error;
}
