import { maxProgrammeAmount, maxProgrammeAwards, programmeTermsProblems } from './programme.rules';

const terms = {
  monthlyStipend: 25000,
  firstMonth: '2027-01',
  lastMonth: '2027-06',
  budget: 25000 * 6 * 100,
  maxAwards: 100,
};

describe('programmeTermsProblems', () => {
  it('accepts terms at the caps, whose every total stays a safe integer', () => {
    const atCaps = {
      ...terms,
      monthlyStipend: maxProgrammeAmount / 10,
      firstMonth: '2027-01',
      lastMonth: '2027-10',
      budget: maxProgrammeAmount,
      maxAwards: maxProgrammeAwards,
    };
    expect(programmeTermsProblems(atCaps, '2026-12')).toEqual([]);
    // The largest committed amount plus the largest award stays exact.
    expect(Number.isSafeInteger(atCaps.budget + atCaps.monthlyStipend * 10)).toBe(true);
  });

  it('refuses amounts past the cap, naming the field', () => {
    const unsafe = Number.MAX_SAFE_INTEGER;
    expect(programmeTermsProblems({ ...terms, monthlyStipend: unsafe, budget: unsafe }, '2026-12')).toEqual([
      {
        field: 'monthlyStipend',
        problem: 'must be at most 1 000 000 000 000 FCFA; got 9 007 199 254 740 991 FCFA',
      },
      { field: 'budget', problem: 'must be at most 1 000 000 000 000 FCFA; got 9 007 199 254 740 991 FCFA' },
    ]);
  });

  it('refuses a stipend whose months add up past the cap', () => {
    expect(
      programmeTermsProblems(
        { ...terms, monthlyStipend: 200_000_000_000, budget: maxProgrammeAmount },
        '2026-12',
      ),
    ).toEqual([
      {
        field: 'monthlyStipend',
        problem:
          '200 000 000 000 FCFA a month for 6 months (2027-01 to 2027-06) is 1 200 000 000 000 FCFA for one award; at most 1 000 000 000 000 FCFA',
      },
    ]);
  });

  it('refuses more places than an award count can hold', () => {
    expect(programmeTermsProblems({ ...terms, maxAwards: 99999999999999 }, '2026-12')).toEqual([
      { field: 'maxAwards', problem: 'must be at most 1000000 places; got 99999999999999' },
    ]);
    expect(programmeTermsProblems({ ...terms, maxAwards: null }, '2026-12')).toEqual([]);
  });
});
