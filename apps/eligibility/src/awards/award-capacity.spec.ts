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
    const award = { monthlyStipend: 25000, firstMonth: '2014-10', lastMonth: '2015-06' };
    expect(AwardCapacity.commitmentAfterRevocation(award, '2014-12')).toBe(75000);
    expect(AwardCapacity.commitmentAfterRevocation(award, '2014-09')).toBe(0);
    expect(AwardCapacity.commitmentAfterRevocation(award, '2016-01')).toBe(225000);
  });

  it('refuses commitments that leave the safe integer range', () => {
    expect(() => AwardCapacity.commitmentOf(Number.MAX_SAFE_INTEGER, '2014-10', '2014-11')).toThrow(
      /whole number/,
    );
  });
});
