import type { StudentStatus } from '@scholarpay/contracts';

export type LiveAwardStatus = 'active' | 'suspended';

export interface AwardSituation {
  studentStatus: StudentStatus;
  /** The decision in force: the override's when there is one, else the rules'. */
  eligible: boolean;
  /** An override forcing the decision, if a programme administrator made one. */
  overrideDecision: 'eligible' | 'ineligible' | null;
  /** The student's current (not revoked) award in this programme, if any. */
  award: LiveAwardStatus | null;
}

/** Why an award changes: it decides the reason's words and who is named as having changed it. */
export type AwardCause =
  'override' | 'student_withdrawn' | 'student_suspended' | 'student_returned' | 'no_longer_eligible';

export type AwardAction =
  | { kind: 'none' }
  /** Eligible, enrolled and without an award: gets one if places and budget allow. */
  | { kind: 'candidate' }
  | { kind: 'suspend' | 'reinstate' | 'revoke'; cause: AwardCause };

/**
 * What happens to a student's award in a programme, given where the student stands. One table,
 * applied in this order (the first row that matches wins):
 *
 * | situation                                   | active award      | suspended award   | no award  |
 * | ------------------------------------------- | ----------------- | ----------------- | --------- |
 * | override: ineligible                        | revoke            | revoke            | –         |
 * | student withdrawn                           | revoke            | revoke            | –         |
 * | student suspended                           | suspend           | –                 | –         |
 * | student graduated                           | – (runs to its    | – (stays          | –         |
 * |                                             |   last month)     |   suspended)      |           |
 * | student enrolled, not eligible              | revoke            | revoke            | –         |
 * | student enrolled, eligible                  | –                 | reinstate         | candidate |
 *
 * The rules decide for enrolled students only: a rule such as "status is enrolled" must not turn a
 * suspension (temporary, reinstated on return) into a revocation (final). An override is a person's
 * explicit decision and applies whatever the status. Graduation leaves the award to end at its last
 * month (the programme's end of studies); an early graduate's remaining months are stopped by an
 * override to ineligible, which revokes them. Only enrolled students receive new awards.
 */
export class AwardPolicy {
  static decide(situation: AwardSituation): AwardAction {
    const { award, studentStatus } = situation;
    if (situation.overrideDecision === 'ineligible') {
      return award ? { kind: 'revoke', cause: 'override' } : { kind: 'none' };
    }
    switch (studentStatus) {
      case 'withdrawn':
        return award ? { kind: 'revoke', cause: 'student_withdrawn' } : { kind: 'none' };
      case 'suspended':
        return award === 'active' ? { kind: 'suspend', cause: 'student_suspended' } : { kind: 'none' };
      case 'graduated':
        return { kind: 'none' };
      case 'enrolled':
        if (!situation.eligible)
          return award ? { kind: 'revoke', cause: 'no_longer_eligible' } : { kind: 'none' };
        if (award === 'suspended') return { kind: 'reinstate', cause: 'student_returned' };
        return award ? { kind: 'none' } : { kind: 'candidate' };
    }
  }
}
