import type { StudentStatus } from '@scholarpay/contracts';

/**
 * The one table of allowed status changes. Graduated is final; a withdrawn student may be
 * re-admitted; a suspended student may come back or leave.
 */
export const STUDENT_STATUS_TRANSITIONS: Readonly<Record<StudentStatus, readonly StudentStatus[]>> = {
  enrolled: ['suspended', 'withdrawn', 'graduated'],
  suspended: ['enrolled', 'withdrawn'],
  withdrawn: ['enrolled'],
  graduated: [],
};

/** Statuses in which a student holds their phone number exclusively (they may still be paid). */
export const ACTIVE_STUDENT_STATUSES: readonly StudentStatus[] = ['enrolled', 'suspended'];

export function isActiveStatus(status: StudentStatus): boolean {
  return ACTIVE_STUDENT_STATUSES.includes(status);
}

export type TransitionCheck = { allowed: true } | { allowed: false; reason: string };

export function checkStatusTransition(from: StudentStatus, to: StudentStatus): TransitionCheck {
  if (from === to) return { allowed: false, reason: `the student is already ${from}` };
  const allowed = STUDENT_STATUS_TRANSITIONS[from];
  if (allowed.includes(to)) return { allowed: true };
  const options = allowed.length
    ? `from ${from} the status may become ${allowed.join(' or ')}`
    : `${from} is final`;
  return { allowed: false, reason: `a ${from} student cannot become ${to}: ${options}` };
}
