import { AwardCandidate, composeLine, coversMonth, LaterAward, monthAfter, PayeeView, whyNotPayable } from './batch-composition.rules';

const award: AwardCandidate = {
  awardId: 'a1',
  studentId: 's1',
  monthlyStipend: 25000,
  firstMonth: '2014-10',
  lastMonth: '2015-06',
  status: 'active',
  revokedInMonth: null,
};
const payee: PayeeView = { studentId: 's1', fullName: 'Aminata Maïga', phone: '+22376123456', operator: 'orange', status: 'enrolled' };

describe('batch composition', () => {
  it('an active award of an enrolled student with a mobile number becomes a line with the award amount and the phone snapshotted', () => {
    expect(composeLine(award, '2015-03', payee, undefined)).toEqual({
      kind: 'line',
      amount: 25000,
      phone: '+22376123456',
      operator: 'orange',
      payeeName: 'Aminata Maïga',
    });
  });

  it('the operator falls back to the numbering plan when enrolment did not say', () => {
    expect(composeLine(award, '2015-03', { ...payee, phone: '+22366123456', operator: null }, undefined)).toMatchObject({ kind: 'line', operator: 'moov' });
  });

  it.each([
    ['suspended award', { ...award, status: 'suspended' as const }, payee, undefined, 'AWARD_SUSPENDED'],
    ['revoked award', { ...award, status: 'revoked' as const }, payee, undefined, 'AWARD_REVOKED'],
    ['no payee yet', award, undefined, undefined, 'PAYEE_UNKNOWN'],
    ['student suspended', award, { ...payee, status: 'suspended' as const }, undefined, 'STUDENT_NOT_ENROLLED'],
    ['student withdrawn', award, { ...payee, status: 'withdrawn' as const }, undefined, 'STUDENT_NOT_ENROLLED'],
    ['no phone', award, { ...payee, phone: null }, undefined, 'NO_PHONE'],
    ['landline', award, { ...payee, phone: '+22320221234' }, undefined, 'PHONE_UNUSABLE'],
    ['foreign mobile number', award, { ...payee, phone: '+33612345678' }, undefined, 'PHONE_UNUSABLE'],
    ['paid already', award, payee, { batchId: 'b0', status: 'PAID' }, 'ALREADY_PAID'],
    ['in another batch', award, payee, { batchId: 'b0', status: 'PENDING' }, 'ALREADY_IN_BATCH'],
    ['in flight in another batch', award, payee, { batchId: 'b0', status: 'UNKNOWN' }, 'ALREADY_IN_BATCH'],
    ['no amount', { ...award, monthlyStipend: 0 }, payee, undefined, 'ZERO_AMOUNT'],
  ])('%s: excluded with %s', (_name, candidate, who, live, reason) => {
    expect(composeLine(candidate, '2015-03', who, live)).toMatchObject({ kind: 'excluded', reason });
  });

  it("pays a graduated student's award to its last month, as eligibility keeps it", () => {
    expect(composeLine(award, '2015-03', { ...payee, status: 'graduated' }, undefined)).toMatchObject({ kind: 'line' });
  });

  it('names the batch that paid the month even when the award has been revoked since', () => {
    expect(composeLine({ ...award, status: 'revoked' }, '2015-03', payee, { batchId: 'b7', status: 'PAID' })).toMatchObject({
      kind: 'excluded',
      reason: 'ALREADY_PAID',
      detail: 'paid by batch b7',
    });
  });

  it('says why an award must no longer be paid, at approval as at composition', () => {
    expect(whyNotPayable(award, payee, '2015-03')).toBeNull();
    expect(whyNotPayable(award, payee, '2099-01')).toMatchObject({ reason: 'AWARD_ENDED' });
    expect(whyNotPayable(award, { ...payee, status: 'withdrawn' }, '2015-03')).toMatchObject({ reason: 'STUDENT_NOT_ENROLLED', detail: 'the student is withdrawn' });
    expect(whyNotPayable({ ...award, status: 'suspended' }, payee, '2015-03')).toMatchObject({ reason: 'AWARD_SUSPENDED' });
  });

  it('says which batch already holds the student', () => {
    expect(composeLine(award, '2015-03', payee, { batchId: 'b7', status: 'SUBMITTED' })).toEqual({
      kind: 'excluded',
      reason: 'ALREADY_IN_BATCH',
      detail: 'line SUBMITTED in batch b7',
    });
  });

  it('covers the months from first to last, inclusive, across years', () => {
    expect(coversMonth(award, '2014-10')).toBe(true);
    expect(coversMonth(award, '2015-06')).toBe(true);
    expect(coversMonth(award, '2014-09')).toBe(false);
    expect(coversMonth(award, '2015-07')).toBe(false);
  });

  describe('a revocation undone within its month', () => {
    // Revoked in March 2015 (withdrawn by mistake), enrolled again in March: eligibility keeps March
    // committed under the revoked award and starts the new one in April.
    const revoked: AwardCandidate = { ...award, status: 'revoked', revokedInMonth: '2015-03' };
    const successor: LaterAward = { firstMonth: '2015-04', status: 'active' };

    it('pays the revoked award for its month of revocation when an active award of the student there starts the month after', () => {
      expect(whyNotPayable(revoked, payee, '2015-03', [successor])).toBeNull();
      expect(composeLine(revoked, '2015-03', payee, undefined, [successor])).toMatchObject({ kind: 'line', amount: 25000 });
    });

    it('pays it for that month only', () => {
      expect(whyNotPayable(revoked, payee, '2015-02', [successor])).toMatchObject({ reason: 'AWARD_REVOKED' });
      expect(whyNotPayable(revoked, payee, '2015-04', [successor])).toMatchObject({ reason: 'AWARD_REVOKED' });
    });

    it.each([
      ['no later award', []],
      ['the later award suspended', [{ ...successor, status: 'suspended' as const }]],
      ['the later award revoked', [{ ...successor, status: 'revoked' as const }]],
      ['the later award starting two months after', [{ ...successor, firstMonth: '2015-05' }]],
      ['the later award starting in the month itself', [{ ...successor, firstMonth: '2015-03' }]],
    ])('%s: excluded as revoked', (_name, later: LaterAward[]) => {
      expect(whyNotPayable(revoked, payee, '2015-03', later)).toMatchObject({ reason: 'AWARD_REVOKED' });
    });

    it('a revoked award without its month of revocation (an older event) stays unpaid', () => {
      expect(whyNotPayable({ ...revoked, revokedInMonth: null }, payee, '2015-03', [successor])).toMatchObject({ reason: 'AWARD_REVOKED' });
    });

    it('still applies every other rule', () => {
      expect(whyNotPayable(revoked, { ...payee, status: 'withdrawn' }, '2015-03', [successor])).toMatchObject({ reason: 'STUDENT_NOT_ENROLLED' });
      expect(whyNotPayable(revoked, undefined, '2015-03', [successor])).toMatchObject({ reason: 'PAYEE_UNKNOWN' });
      expect(composeLine(revoked, '2015-03', { ...payee, phone: null }, undefined, [successor])).toMatchObject({ reason: 'NO_PHONE' });
      expect(composeLine(revoked, '2015-03', payee, { batchId: 'b7', status: 'PAID' }, [successor])).toMatchObject({ reason: 'ALREADY_PAID' });
      // Revoked before its first month: it covers no month, eligibility commits none.
      const early = { ...revoked, firstMonth: '2015-04', revokedInMonth: '2015-03' };
      expect(whyNotPayable(early, payee, '2015-03', [{ ...successor, firstMonth: '2015-04' }])).toMatchObject({ reason: 'AWARD_ENDED' });
    });

    it('counts months across the year end', () => {
      expect(monthAfter('2014-12')).toBe('2015-01');
      expect(monthAfter('2015-03')).toBe('2015-04');
    });
  });
});
