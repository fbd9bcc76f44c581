import { formatXof } from '@scholarpay/money';
import type { AwardCause } from './award.policy';

/** What enrolment said when a student's status changed (from its status-changed event). */
export interface StatusChangeContext {
  from: string;
  to: string;
  reason: string;
  changedBy: string;
}

export interface ReasonContext {
  programmeCode: string;
  statusChange: StatusChangeContext | null;
  override: { createdBy: string; reason: string } | null;
  failures: string[];
  rulesChange: { rulesVersion: number } | null;
}

/** Award reasons in words, as they appear in events and in the audit trail. */
export class AwardReasons {
  static forChange(cause: AwardCause, context: ReasonContext): string {
    const enrolment = context.statusChange
      ? ` (${context.statusChange.changedBy} in enrolment: ${context.statusChange.reason})`
      : '';
    switch (cause) {
      case 'student_suspended':
        return `student suspended${enrolment}`;
      case 'student_returned':
        return `student enrolled again${enrolment}`;
      case 'student_withdrawn':
        return `student withdrew${enrolment}`;
      case 'override':
        return context.override
          ? `forced ineligible by ${context.override.createdBy}: ${context.override.reason}`
          : 'forced ineligible by override';
      case 'no_longer_eligible': {
        const under = context.rulesChange ? ` under rules version ${context.rulesChange.rulesVersion}` : '';
        const why = context.failures.length > 0 ? context.failures.join('; ') : 'the rules are no longer met';
        return `no longer eligible for ${context.programmeCode}${under}: ${why}`;
      }
    }
  }

  static forGrant(input: {
    programmeCode: string;
    overridden: boolean;
    monthlyStipend: number;
    firstMonth: string;
    lastMonth: string;
    /** The last month an earlier award of the student in the programme covers, if any. */
    coveredThrough?: string | null;
  }): string {
    const basis = input.overridden ? 'eligible by override' : 'eligible: every rule is met';
    const after = input.coveredThrough
      ? ` (an earlier award covers the months through ${input.coveredThrough})`
      : '';
    return `${basis}; a place and budget were available in ${input.programmeCode}: ${formatXof(input.monthlyStipend)} a month from ${input.firstMonth} to ${input.lastMonth}${after}`;
  }
}
