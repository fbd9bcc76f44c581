import type { AwardStatus, MobileOperator, StudentStatus } from '@scholarpay/contracts';
import { isMaliNumber, parseMaliPhone } from '@scholarpay/phone';

/** Why an award that covers the month gets no line in a batch. */
export const ExclusionReasons = {
  AWARD_SUSPENDED: 'the award is suspended',
  AWARD_REVOKED: 'the award is revoked',
  ALREADY_PAID: 'already paid for this month',
  ALREADY_IN_BATCH: 'already in another batch for this month',
  PAYEE_UNKNOWN: 'no student record received from enrolment yet',
  STUDENT_NOT_ENROLLED: 'the student is suspended or withdrawn',
  NO_PHONE: 'the student has no phone number',
  PHONE_UNUSABLE: 'the phone number cannot receive mobile money',
  ZERO_AMOUNT: 'the award has no stipend amount',
  AWARD_ENDED: 'the award no longer covers this month',
} as const;
export type ExclusionReason = keyof typeof ExclusionReasons;

export interface AwardCandidate {
  awardId: string;
  studentId: string;
  monthlyStipend: number;
  firstMonth: string;
  lastMonth: string;
  status: AwardStatus;
  /** The month a revoked award was revoked in; null otherwise, or when eligibility's event did not say. */
  revokedInMonth: string | null;
}

/** Another award of the same student in the same programme, starting after a revoked award's month of revocation. */
export interface LaterAward {
  firstMonth: string;
  status: AwardStatus;
}

export interface PayeeView {
  studentId: string;
  fullName: string;
  phone: string | null;
  operator: MobileOperator | null;
  status: StudentStatus;
}

/** A line for the same award and month that still holds its slot (not failed, not released). */
export interface LiveLine {
  batchId: string;
  status: string;
}

export type Composition =
  | { kind: 'line'; amount: number; phone: string; operator: MobileOperator | null; payeeName: string }
  | { kind: 'excluded'; reason: ExclusionReason; detail: string };

/** Whether an award's months include `month` (YYYY-MM strings compare in calendar order). */
export function coversMonth(award: Pick<AwardCandidate, 'firstMonth' | 'lastMonth'>, month: string): boolean {
  return award.firstMonth <= month && month <= award.lastMonth;
}

/**
 * Decides whether an award covering the month becomes a line of a new batch, or is excluded with
 * the reason. The phone is snapshotted on the line: later changes to the student do not move a
 * payout that is already prepared.
 */
export function composeLine(
  award: AwardCandidate,
  month: string,
  payee: PayeeView | undefined,
  live: LiveLine | undefined,
  laterAwards: readonly LaterAward[] = [],
): Composition {
  // A live line first: whatever became of the award since, the approver sees the month is paid or held.
  if (live) {
    return live.status === 'PAID'
      ? excluded('ALREADY_PAID', `paid by batch ${live.batchId}`)
      : excluded('ALREADY_IN_BATCH', `line ${live.status} in batch ${live.batchId}`);
  }
  const unpayable = whyNotPayable(award, payee, month, laterAwards);
  if (unpayable) return unpayable;
  if (!payee!.phone) return excluded('NO_PHONE');
  const parsed = parseMaliPhone(payee!.phone);
  if (!parsed.ok) return excluded('PHONE_UNUSABLE', `the phone number ${parsed.problem}`);
  if (!isMaliNumber(parsed.e164)) {
    return excluded('PHONE_UNUSABLE', 'the phone number is not Malian: the provider credits Malian mobile-money wallets only');
  }
  return { kind: 'line', amount: award.monthlyStipend, phone: parsed.e164, operator: payee!.operator ?? parsed.operator, payeeName: payee!.fullName };
}

/**
 * Why an award, as it stands now, must not be paid, or null. Checked when a batch is composed and
 * again when it is approved: a student withdrawn or suspended after the batch was prepared must not
 * be paid from it. A graduated student's award runs to its last month (eligibility's rule), so
 * graduation alone does not stop payment. `laterAwards` are the student's other awards in the
 * programme starting after a revoked award's month of revocation (see `revocationUndone`).
 */
export function whyNotPayable(
  award: AwardCandidate,
  payee: PayeeView | undefined,
  month: string,
  laterAwards: readonly LaterAward[] = [],
): Extract<Composition, { kind: 'excluded' }> | null {
  if (award.status === 'suspended') return excluded('AWARD_SUSPENDED');
  if (award.status === 'revoked' && !revocationUndone(award, month, laterAwards)) return excluded('AWARD_REVOKED');
  if (!coversMonth(award, month)) return excluded('AWARD_ENDED', `the award covers ${award.firstMonth} to ${award.lastMonth}`);
  if (award.monthlyStipend <= 0) return excluded('ZERO_AMOUNT');
  if (!payee) return excluded('PAYEE_UNKNOWN');
  if (payee.status === 'suspended' || payee.status === 'withdrawn') return excluded('STUDENT_NOT_ENROLLED', `the student is ${payee.status}`);
  return null;
}

/**
 * A revoked award is paid for its month of revocation when the revocation was undone within that
 * month: the student holds an active award in the programme from the month after (a student
 * withdrawn by mistake and enrolled again, an override or rule change taken back). Eligibility
 * keeps that month committed under the revoked award and starts the new one the month after, so
 * nobody else would pay it. Any other month of a revoked award stays unpaid.
 */
export function revocationUndone(award: Pick<AwardCandidate, 'status' | 'revokedInMonth'>, month: string, laterAwards: readonly LaterAward[]): boolean {
  if (award.status !== 'revoked' || award.revokedInMonth !== month) return false;
  const next = monthAfter(month);
  return laterAwards.some((later) => later.status === 'active' && later.firstMonth === next);
}

/** The ids of the awards revoked in `month`: the only revoked awards that may be paid for it. */
export function awardsRevokedIn(month: string, awards: readonly AwardCandidate[]): string[] {
  return awards.filter((award) => award.status === 'revoked' && award.revokedInMonth === month).map((award) => award.awardId);
}

/** The month after a YYYY-MM month. */
export function monthAfter(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

function excluded(reason: ExclusionReason, detail?: string): Extract<Composition, { kind: 'excluded' }> {
  return { kind: 'excluded', reason, detail: detail ?? ExclusionReasons[reason] };
}
