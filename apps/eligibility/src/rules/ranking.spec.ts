import { describeRanking, rankingOrderBy, validateRanking } from './ranking';

describe('ranking', () => {
  it('accepts ordered criteria and absent rankings', () => {
    expect(
      validateRanking([
        { fact: 'intakeYear', direction: 'asc' },
        { fact: 'enrolledAt', direction: 'asc' },
      ]),
    ).toEqual({
      ok: true,
      ranking: [
        { fact: 'intakeYear', direction: 'asc' },
        { fact: 'enrolledAt', direction: 'asc' },
      ],
    });
    expect(validateRanking(undefined)).toEqual({ ok: true, ranking: null });
    expect(validateRanking(null)).toEqual({ ok: true, ranking: null });
    expect(validateRanking([])).toEqual({ ok: true, ranking: null });
  });

  it('names each bad criterion by its path', () => {
    const result = validateRanking([
      { fact: 'needScore', direction: 'up' },
      { fact: 'intakeYear', direction: 'asc', weight: 2 },
      { fact: 'intakeYear', direction: 'desc' },
    ]);
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          field: 'ranking[0].fact',
          problem:
            'unknown ranking fact "needScore"; students can be ranked by intakeYear, enrolledAt, dateOfBirth, ageAtIntake',
        },
        { field: 'ranking[0].direction', problem: 'must be "asc" or "desc", got "up"' },
        {
          field: 'ranking[1].weight',
          problem: 'is not a known property; a criterion has "fact" and "direction"',
        },
        { field: 'ranking[2].fact', problem: 'intakeYear is already a criterion of this ranking' },
      ],
    });
    expect(validateRanking('intakeYear')).toMatchObject({ ok: false, problems: [{ field: 'ranking' }] });
  });

  it('orders by the criteria, then first eligible, first enrolled, student id', () => {
    expect(
      rankingOrderBy([
        { fact: 'intakeYear', direction: 'desc' },
        { fact: 'ageAtIntake', direction: 'asc' },
      ]),
    ).toBe(
      's.intake_year DESC NULLS LAST, (s.intake_year - extract(year from s.date_of_birth)) ASC NULLS LAST, d.eligible_since ASC, s.enrolled_at ASC, s.student_id ASC',
    );
    expect(rankingOrderBy(null)).toBe('d.eligible_since ASC, s.enrolled_at ASC, s.student_id ASC');
    expect(describeRanking([{ fact: 'intakeYear', direction: 'asc' }])).toBe(
      'intakeYear ascending, then first eligible, then first enrolled',
    );
  });
});
