import { AwardReasons, ReasonContext } from './award.reasons';

const context: ReasonContext = {
  programmeCode: 'GAO-2014',
  statusChange: { from: 'enrolled', to: 'suspended', reason: 'unpaid fees', changedBy: 'school-admin-1' },
  override: { createdBy: 'admin-1', reason: 'duplicate scholarship' },
  failures: ['intake year 2012 is not at least 2013', 'region of origin Bamako is not one of Gao, Kidal'],
  rulesChange: null,
};

describe('AwardReasons', () => {
  it('quotes enrolment for status-driven changes', () => {
    expect(AwardReasons.forChange('student_suspended', context)).toBe(
      'student suspended (school-admin-1 in enrolment: unpaid fees)',
    );
    expect(AwardReasons.forChange('student_withdrawn', { ...context, statusChange: null })).toBe(
      'student withdrew',
    );
    expect(AwardReasons.forChange('student_returned', context)).toMatch(/^student enrolled again/);
  });

  it('names the override and its reason', () => {
    expect(AwardReasons.forChange('override', context)).toBe(
      'forced ineligible by admin-1: duplicate scholarship',
    );
  });

  it('lists the failed rules, and the rules version when rules changed', () => {
    expect(AwardReasons.forChange('no_longer_eligible', context)).toBe(
      'no longer eligible for GAO-2014: intake year 2012 is not at least 2013; region of origin Bamako is not one of Gao, Kidal',
    );
    expect(
      AwardReasons.forChange('no_longer_eligible', {
        ...context,
        failures: [],
        rulesChange: { rulesVersion: 3 },
      }),
    ).toBe('no longer eligible for GAO-2014 under rules version 3: the rules are no longer met');
  });

  it('says what an award pays', () => {
    expect(
      AwardReasons.forGrant({
        programmeCode: 'GAO-2014',
        overridden: false,
        monthlyStipend: 25000,
        firstMonth: '2014-10',
        lastMonth: '2015-06',
      }),
    ).toBe(
      'eligible: every rule is met; a place and budget were available in GAO-2014: 25 000 FCFA a month from 2014-10 to 2015-06',
    );
  });

  it('says when an award starts after the months an earlier one covers', () => {
    expect(
      AwardReasons.forGrant({
        programmeCode: 'GAO-2014',
        overridden: true,
        monthlyStipend: 25000,
        firstMonth: '2015-01',
        lastMonth: '2015-06',
        coveredThrough: '2014-12',
      }),
    ).toBe(
      'eligible by override; a place and budget were available in GAO-2014: 25 000 FCFA a month from 2015-01 to 2015-06 (an earlier award covers the months through 2014-12)',
    );
  });
});
