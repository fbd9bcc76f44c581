import { AwardCapacity, ProgrammeTerms } from './award-capacity';

const terms: ProgrammeTerms = {
  monthlyStipend: 25000,
  firstMonth: '2014-10',
  lastMonth: '2015-06',
  budget: 900000,
  maxAwards: 5,
};

describe('AwardCapacity', () => {
  it('starts a new award at the programme start, or at the current month once the programme has begun', () => {
    expect(AwardCapacity.startMonthOfNewAward(terms, '2014-03')).toBe('2014-10');
    expect(AwardCapacity.startMonthOfNewAward(terms, '2015-02')).toBe('2015-02');
    expect(AwardCapacity.startMonthOfNewAward(terms, '2015-06')).toBe('2015-06');
    expect(AwardCapacity.startMonthOfNewAward(terms, '2015-07')).toBeNull();
  });

  it('commits the stipend for every remaining month of the programme', () => {
    // 9 months × 25 000 = 225 000: the budget of 900 000 covers 4 awards made before the start.
    expect(AwardCapacity.available(terms, { awardsHeld: 0, committedAmount: 0 }, '2014-09')).toEqual({
      count: 4,
      startMonth: '2014-10',
      costPerAward: 225000,
      placesLeft: 5,
      budgetLeft: 900000,
      reason: null,
    });
    // In 2015-03 an award costs 4 × 25 000 = 100 000; 450 000 left buys 4, and 2 places remain.
    expect(
      AwardCapacity.available(terms, { awardsHeld: 3, committedAmount: 450000 }, '2015-03'),
    ).toMatchObject({
      count: 2,
      costPerAward: 100000,
      placesLeft: 2,
      budgetLeft: 450000,
    });
  });

  it('says why no award can be made', () => {
    expect(AwardCapacity.available(terms, { awardsHeld: 5, committedAmount: 0 }, '2014-09')).toMatchObject({
      count: 0,
      reason: 'no_places_left',
    });
    expect(
      AwardCapacity.available(terms, { awardsHeld: 3, committedAmount: 675001 }, '2014-09'),
    ).toMatchObject({ count: 0, reason: 'budget_exhausted' });
    expect(AwardCapacity.available(terms, { awardsHeld: 0, committedAmount: 0 }, '2015-07')).toMatchObject({
      count: 0,
      reason: 'programme_ended',
    });
    expect(AwardCapacity.describeNoCapacity('budget_exhausted')).toContain('remaining budget');
  });

  it('counts an unlimited programme by budget alone', () => {
    const open = { ...terms, maxAwards: null };
    expect(AwardCapacity.available(open, { awardsHeld: 1000, committedAmount: 0 }, '2014-09')).toMatchObject({
      count: 4,
      placesLeft: null,
    });
  });

  it('keeps a revoked award committed through the month of revocation and releases the rest', () => {
    const award = { monthlyStipend: 25000, firstMonth: '2014-10', lastMonth: '2015-06', lastPaidMonth: null };
    expect(AwardCapacity.commitmentAfterRevocation(award, '2014-12')).toBe(75000);
    expect(AwardCapacity.commitmentAfterRevocation(award, '2014-09')).toBe(0);
    expect(AwardCapacity.commitmentAfterRevocation(award, '2016-01')).toBe(225000);
  });

  describe('a month paid is money out: the budget keeps counting it', () => {
    const award = {
      monthlyStipend: 10000,
      firstMonth: '2026-12',
      lastMonth: '2027-02',
      lastPaidMonth: null as string | null,
    };

    it('keeps a revoked award committed through the last month paid when payments paid ahead', () => {
      // Paid December to February, revoked in December: all 30 000 are out, none is released.
      expect(AwardCapacity.commitmentAfterRevocation({ ...award, lastPaidMonth: '2027-02' }, '2026-12')).toBe(
        30000,
      );
      expect(AwardCapacity.commitmentAfterRevocation({ ...award, lastPaidMonth: '2027-01' }, '2026-12')).toBe(
        20000,
      );
      // Paid only up to the month of revocation: the months after it are released, as before.
      expect(AwardCapacity.commitmentAfterRevocation({ ...award, lastPaidMonth: '2026-12' }, '2026-12')).toBe(
        10000,
      );
      expect(AwardCapacity.commitmentAfterRevocation(award, '2026-12')).toBe(10000);
      // Revoked before its first month, yet paid for it (a batch in flight): the month paid counts.
      expect(AwardCapacity.commitmentAfterRevocation({ ...award, lastPaidMonth: '2026-12' }, '2026-11')).toBe(
        10000,
      );
      expect(
        AwardCapacity.lastMonthCovered({
          ...award,
          status: 'revoked',
          revokedInMonth: '2026-12',
          lastPaidMonth: '2027-02',
        }),
      ).toBe('2027-02');
    });

    it('lets no place or award be made on money paid out: the places freed are not the money freed', () => {
      // 70 000 budget, 2 places; Aminata and Coumba hold 60 000, every month paid. Aminata is revoked
      // in December: her award keeps 30 000, so 10 000 is left and Boubacar (30 000) cannot be served.
      const terms: ProgrammeTerms = {
        monthlyStipend: 10000,
        firstMonth: '2026-12',
        lastMonth: '2027-02',
        budget: 70000,
        maxAwards: 2,
      };
      const kept = AwardCapacity.commitmentAfterRevocation({ ...award, lastPaidMonth: '2027-02' }, '2026-12');
      const commitments = { awardsHeld: 1, committedAmount: 30000 + kept };
      expect(AwardCapacity.available(terms, commitments, '2026-12')).toMatchObject({
        count: 0,
        placesLeft: 1,
        budgetLeft: 10000,
        reason: 'budget_exhausted',
      });
      expect(AwardCapacity.planGrants(terms, commitments, '2026-12', [{ coveredThrough: null }])).toEqual([]);
      // And Aminata herself: her earlier award covers every month (paid), so none is left to award.
      const earlier = {
        ...award,
        status: 'revoked' as const,
        revokedInMonth: '2026-12',
        lastPaidMonth: '2027-02',
      };
      expect(
        AwardCapacity.available(
          terms,
          { awardsHeld: 0, committedAmount: 0 },
          '2026-12',
          AwardCapacity.coveredThrough([earlier]),
        ),
      ).toMatchObject({ count: 0, reason: 'months_already_covered' });
    });

    it('grows a revoked award’s commitment when a month beyond it is paid, and leaves a live one alone', () => {
      const revoked = {
        ...award,
        status: 'revoked' as const,
        revokedInMonth: '2026-12',
        committedAmount: 10000,
      };
      expect(AwardCapacity.afterPayout(revoked, '2027-01')).toEqual({
        lastPaidMonth: '2027-01',
        committedAmount: 20000,
      });
      expect(AwardCapacity.afterPayout(revoked, '2026-12')).toEqual({
        lastPaidMonth: '2026-12',
        committedAmount: 10000,
      });
      // An older month arriving after a later one changes nothing more.
      expect(
        AwardCapacity.afterPayout(
          { ...revoked, lastPaidMonth: '2027-02', committedAmount: 30000 },
          '2027-01',
        ),
      ).toEqual({
        lastPaidMonth: '2027-02',
        committedAmount: 30000,
      });
      const live = { ...award, status: 'active' as const, revokedInMonth: null, committedAmount: 30000 };
      expect(AwardCapacity.afterPayout(live, '2027-02')).toEqual({
        lastPaidMonth: '2027-02',
        committedAmount: 30000,
      });
    });
  });

  it('refuses commitments that leave the safe integer range', () => {
    expect(() => AwardCapacity.commitmentOf(Number.MAX_SAFE_INTEGER, '2014-10', '2014-11')).toThrow(
      /whole number/,
    );
  });

  describe('a month is paid to a student once', () => {
    const revokedIn = (month: string) => ({
      status: 'revoked' as const,
      firstMonth: '2014-10',
      lastMonth: '2015-06',
      revokedInMonth: month,
      lastPaidMonth: null,
    });

    it('knows the last month an award covers', () => {
      expect(AwardCapacity.lastMonthCovered({ ...revokedIn('2014-12'), status: 'active' })).toBe('2015-06');
      expect(AwardCapacity.lastMonthCovered({ ...revokedIn('2014-12'), status: 'suspended' })).toBe(
        '2015-06',
      );
      expect(AwardCapacity.lastMonthCovered(revokedIn('2014-12'))).toBe('2014-12');
      // Revoked before its first month: it covers nothing, and nothing of it may be paid.
      expect(AwardCapacity.lastMonthCovered(revokedIn('2014-09'))).toBeNull();
      expect(AwardCapacity.lastMonthCovered(revokedIn('2016-01'))).toBe('2015-06');
      expect(
        AwardCapacity.coveredThrough([revokedIn('2014-12'), revokedIn('2014-09'), revokedIn('2015-02')]),
      ).toBe('2015-02');
      expect(AwardCapacity.coveredThrough([revokedIn('2014-09')])).toBeNull();
      expect(AwardCapacity.coveredThrough([])).toBeNull();
    });

    it('starts a new award after the months an earlier award covers, not at the current month', () => {
      // Award A paid 2014-12 and was revoked in 2014-12: a new award made in 2014-12 starts in 2015-01.
      expect(AwardCapacity.startMonthOfNewAward(terms, '2014-12', '2014-12')).toBe('2015-01');
      expect(AwardCapacity.startMonthOfNewAward(terms, '2015-03', '2014-12')).toBe('2015-03');
      expect(AwardCapacity.startMonthOfNewAward(terms, '2014-03', null)).toBe('2014-10');
      expect(AwardCapacity.startMonthOfNewAward(terms, '2015-06', '2015-06')).toBeNull();
    });

    it('costs a returning student only the months not yet covered, and says when none is left', () => {
      expect(
        AwardCapacity.available(terms, { awardsHeld: 0, committedAmount: 25000 }, '2014-12', '2014-12'),
      ).toMatchObject({ count: 5, startMonth: '2015-01', costPerAward: 150000 });
      const none = AwardCapacity.available(
        terms,
        { awardsHeld: 0, committedAmount: 0 },
        '2015-06',
        '2015-06',
      );
      expect(none).toMatchObject({ count: 0, startMonth: null, reason: 'months_already_covered' });
      expect(AwardCapacity.waitingReason(none, true)).toBe(
        "no award: an earlier award of this student in the programme already covers every month up to the programme's last month, and a month is paid only once",
      );
      const ended = AwardCapacity.available(
        terms,
        { awardsHeld: 0, committedAmount: 0 },
        '2015-07',
        '2015-06',
      );
      expect(ended.reason).toBe('programme_ended');
    });

    it('words why a student waits', () => {
      const open = AwardCapacity.available(terms, { awardsHeld: 0, committedAmount: 0 }, '2014-09');
      expect(AwardCapacity.waitingReason(open, false)).toBe('no award yet: waiting for the next award round');
      expect(AwardCapacity.waitingReason(open, true)).toMatch(/^a re-evaluation of the programme is running/);
      const full = AwardCapacity.available(terms, { awardsHeld: 5, committedAmount: 0 }, '2014-09');
      expect(AwardCapacity.waitingReason(full, false)).toBe(
        'no award yet: every place of the programme is taken',
      );
    });

    it('plans a round in ranking order, each award from its own start, never past places or budget', () => {
      // In 2014-12 a new student costs 7 × 25 000 = 175 000; one whose earlier award covered 2014-12 costs 150 000.
      const plan = AwardCapacity.planGrants(terms, { awardsHeld: 0, committedAmount: 500000 }, '2014-12', [
        { coveredThrough: '2014-12' },
        { coveredThrough: '2015-06' },
        { coveredThrough: null },
        { coveredThrough: null },
      ]);
      // 400 000 left: the returning student (150 000), the fully covered one passed over, one new student
      // (175 000); the 75 000 left cannot pay the next.
      expect(plan).toEqual([
        { index: 0, startMonth: '2015-01', cost: 150000 },
        { index: 2, startMonth: '2014-12', cost: 175000 },
      ]);
      // No one is served before a higher-ranked student the money cannot serve.
      expect(
        AwardCapacity.planGrants(terms, { awardsHeld: 0, committedAmount: 750000 }, '2014-12', [
          { coveredThrough: null },
          { coveredThrough: '2014-12' },
        ]),
      ).toEqual([]);
      expect(
        AwardCapacity.planGrants(terms, { awardsHeld: 4, committedAmount: 0 }, '2014-12', [
          { coveredThrough: null },
          { coveredThrough: null },
        ]),
      ).toEqual([{ index: 0, startMonth: '2014-12', cost: 175000 }]);
    });
  });
});
