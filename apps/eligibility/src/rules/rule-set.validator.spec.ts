import { RuleSetValidator, closestName } from './rule-set.validator';

const validator = new RuleSetValidator();

const northernNursing = {
  all: [
    { fact: 'regionOfOrigin', operator: 'in', value: ['Gao', 'Tombouctou', 'Kidal', 'Ménaka', 'Taoudénit'] },
    { fact: 'status', operator: 'equal', value: 'enrolled' },
    {
      any: [
        { fact: 'programmeOfStudy', operator: 'equal', value: 'nursing' },
        { fact: 'programmeOfStudy', operator: 'equal', value: 'midwifery' },
      ],
    },
    { fact: 'intakeYear', operator: 'greaterThanInclusive', value: 2013 },
    { not: { fact: 'operator', operator: 'equal', value: null } },
  ],
};

function problemsOf(input: unknown): { field: string; problem: string }[] {
  const result = validator.validate(input);
  if (result.ok) throw new Error('expected the rule set to be refused');
  return result.problems;
}

describe('RuleSetValidator', () => {
  it('accepts a nested all/any/not rule set and returns it as validated', () => {
    const result = validator.validate(northernNursing);
    expect(result).toEqual({ ok: true, rules: northernNursing, conditionCount: 9 });
  });

  it('names the path of an unknown fact, suggests the likely one and lists the known facts', () => {
    const rules = structuredClone(northernNursing) as { all: Record<string, unknown>[] };
    rules.all[2] = { fact: 'regionOrigin', operator: 'in', value: ['Gao'] };
    const [problem] = problemsOf(rules);
    expect(problem.field).toBe('rules.all[2].fact');
    expect(problem.problem).toMatch(
      /^unknown fact "regionOrigin" \(did you mean "regionOfOrigin"\?\); known facts: regionOfOrigin, /,
    );
    expect(problem.problem).not.toContain('nationalId');
  });

  it('refuses facts that must not decide a scholarship', () => {
    for (const fact of ['nationalId', 'firstName', 'phone']) {
      const [problem] = problemsOf({ all: [{ fact, operator: 'equal', value: 'x' }] });
      expect(problem).toEqual({
        field: 'rules.all[0].fact',
        problem: expect.stringContaining(`unknown fact "${fact}"`),
      });
    }
  });

  it('refuses a root that is not a group, and empty groups', () => {
    expect(problemsOf({ fact: 'status', operator: 'equal', value: 'enrolled' })).toEqual([
      { field: 'rules', problem: expect.stringContaining('must be a condition group') },
    ]);
    expect(problemsOf('status = enrolled')[0].field).toBe('rules');
    expect(problemsOf({ any: [] })).toEqual([
      { field: 'rules.any', problem: 'must hold at least one condition' },
    ]);
    expect(problemsOf({ all: { fact: 'status' } })).toEqual([
      { field: 'rules.all', problem: 'must be a list of conditions' },
    ]);
    expect(problemsOf({ not: [] })).toEqual([
      { field: 'rules.not', problem: 'must be one condition object (not a list)' },
    ]);
    expect(problemsOf({ all: [], any: [] })[0].problem).toContain('has both "all" and "any"');
  });

  it('names unknown operators, list operators and missing parts', () => {
    expect(problemsOf({ all: [{ fact: 'status', operator: 'equals', value: 'enrolled' }] })).toEqual([
      {
        field: 'rules.all[0].operator',
        problem: expect.stringMatching(
          /^unknown operator "equals"; known operators: equal, notEqual, in, notIn, /,
        ),
      },
    ]);
    expect(
      problemsOf({ all: [{ fact: 'regionOfOrigin', operator: 'contains', value: 'Gao' }] })[0].problem,
    ).toContain('no student fact is a list');
    expect(problemsOf({ all: [{ fact: 'status', operator: 'equal' }] })).toEqual([
      { field: 'rules.all[0].value', problem: 'is required' },
    ]);
    expect(
      problemsOf({ all: [{ fact: 'status', operator: 'equal', value: 'enrolled', path: '$.x' }] }),
    ).toEqual([{ field: 'rules.all[0].path', problem: expect.stringContaining('is not a known property') }]);
    expect(problemsOf({ all: [{ condition: 'northern' }] })[0].field).toBe('rules.all[0].condition');
  });

  it('checks each value against its fact and operator', () => {
    const cases: [unknown, string, RegExp][] = [
      [
        { fact: 'intakeYear', operator: 'greaterThanInclusive', value: '2013' },
        'rules.all[0].value',
        /must be a whole number/,
      ],
      [
        { fact: 'intakeYear', operator: 'greaterThan', value: 2013.5 },
        'rules.all[0].value',
        /must be a whole number/,
      ],
      [
        { fact: 'regionOfOrigin', operator: 'greaterThan', value: 'Gao' },
        'rules.all[0].value',
        /compares numbers or dates/,
      ],
      [
        { fact: 'regionOfOrigin', operator: 'in', value: 'Gao' },
        'rules.all[0].value',
        /needs a list of values/,
      ],
      [{ fact: 'regionOfOrigin', operator: 'in', value: [] }, 'rules.all[0].value', /at least one value/],
      [
        { fact: 'regionOfOrigin', operator: 'in', value: ['Gao', 3] },
        'rules.all[0].value',
        /^\[1\] 3 is not a possible regionOfOrigin/,
      ],
      [{ fact: 'regionOfOrigin', operator: 'equal', value: ['Gao'] }, 'rules.all[0].value', /use "in"/],
      [
        { fact: 'status', operator: 'equal', value: 'enroled' },
        'rules.all[0].value',
        /^"enroled" is not a possible status \(did you mean "enrolled"\?\); possible values: enrolled, suspended/,
      ],
      [
        { fact: 'dateOfBirth', operator: 'lessThan', value: '2001-02-31' },
        'rules.all[0].value',
        /YYYY-MM-DD/,
      ],
      [{ fact: 'hasPhone', operator: 'equal', value: 'yes' }, 'rules.all[0].value', /true or false/],
      [{ fact: 'status', operator: 'equal', value: null }, 'rules.all[0].value', /must not be null/],
      [
        { fact: 'intakeYear', operator: 'equal', value: { fact: 'ageAtIntake' } },
        'rules.all[0].value',
        /literal value/,
      ],
    ];
    for (const [condition, field, problem] of cases) {
      const problems = problemsOf({ all: [condition] });
      expect(problems).toHaveLength(1);
      expect(problems[0].field).toBe(field);
      expect(problems[0].problem).toMatch(problem);
    }
  });

  describe('values a student can have', () => {
    const regions =
      'Bamako, Kayes, Koulikoro, Sikasso, Ségou, Mopti, Tombouctou, Gao, Kidal, Taoudénit, Ménaka, Nioro, Kita, Dioïla, Nara, Bougouni, Koutiala, San, Douentza, Bandiagara';

    it("refuses a region or programme of study enrolment never stores, naming the condition's path and the possible values", () => {
      expect(problemsOf({ all: [{ fact: 'regionOfOrigin', operator: 'equal', value: 'Menaka' }] })).toEqual([
        {
          field: 'rules.all[0].value',
          problem: `"Menaka" is not a possible regionOfOrigin (did you mean "Ménaka"?); possible values: ${regions}`,
        },
      ]);
      expect(
        problemsOf({ any: [{ not: { fact: 'regionOfOrigin', operator: 'in', value: ['Gao', 'gao'] } }] }),
      ).toEqual([
        {
          field: 'rules.any[0].not.value',
          problem: `[1] "gao" is not a possible regionOfOrigin (did you mean "Gao"?); possible values: ${regions}`,
        },
      ]);
      expect(
        problemsOf({ all: [{ fact: 'programmeOfStudy', operator: 'equal', value: 'Nursing' }] }),
      ).toEqual([
        {
          field: 'rules.all[0].value',
          problem:
            '"Nursing" is not a possible programmeOfStudy (did you mean "nursing"?); possible values: nursing, midwifery, obstetric-nursing, public-health, community-health, medical-laboratory, pharmacy, physiotherapy, medical-imaging, anaesthesia, dental-care, other',
        },
      ]);
    });

    it('writes a school code upper case, as enrolment stores it, and refuses one that can never be a school code', () => {
      const result = validator.validate({
        all: [
          { fact: 'schoolCode', operator: 'equal', value: 'aud-enrol2' },
          { fact: 'schoolCode', operator: 'notIn', value: [' ess-gao ', 'ESS-KIDAL'] },
        ],
      });
      expect(result).toMatchObject({
        ok: true,
        rules: {
          all: [
            { fact: 'schoolCode', operator: 'equal', value: 'AUD-ENROL2' },
            { fact: 'schoolCode', operator: 'notIn', value: ['ESS-GAO', 'ESS-KIDAL'] },
          ],
        },
      });
      expect(problemsOf({ all: [{ fact: 'schoolCode', operator: 'equal', value: 'aud enrol 2' }] })).toEqual([
        {
          field: 'rules.all[0].value',
          problem:
            '"aud enrol 2" can never be a schoolCode: school codes are 2 to 32 letters, digits, "-" or "_", stored upper case (e.g. "ESS-GAO")',
        },
      ]);
    });

    it('writes a school id lower case, as ids are stored, and refuses what is not a UUID', () => {
      const result = validator.validate({
        all: [{ fact: 'schoolId', operator: 'equal', value: '0F0B6C9E-2B7A-4A53-8F0E-6F1D9A1C3B22' }],
      });
      expect(result).toMatchObject({
        ok: true,
        rules: { all: [{ value: '0f0b6c9e-2b7a-4a53-8f0e-6f1d9a1c3b22' }] },
      });
      expect(problemsOf({ all: [{ fact: 'schoolId', operator: 'in', value: ['ESS-GAO'] }] })).toEqual([
        {
          field: 'rules.all[0].value',
          problem: '[0] "ESS-GAO" can never be a schoolId: school ids are UUIDs',
        },
      ]);
    });
  });

  it('accepts null for a fact that may be unrecorded', () => {
    expect(
      validator.validate({ all: [{ fact: 'operator', operator: 'in', value: ['orange', null] }] }).ok,
    ).toBe(true);
  });

  it('reports every problem, each at its own path', () => {
    const problems = problemsOf({
      any: [
        { fact: 'regionOrigin', operator: 'in', value: ['Gao'] },
        { all: [{ fact: 'intakeYear', operator: 'atLeast', value: 2013 }] },
      ],
    });
    expect(problems.map((problem) => problem.field)).toEqual([
      'rules.any[0].fact',
      'rules.any[1].all[0].operator',
    ]);
  });

  it('limits depth and size', () => {
    let deep: Record<string, unknown> = { fact: 'status', operator: 'equal', value: 'enrolled' };
    for (let level = 0; level < 10; level++) deep = { not: deep };
    expect(problemsOf(deep).some((problem) => problem.problem.includes('nests deeper'))).toBe(true);
    const many = {
      all: Array.from({ length: 101 }, () => ({ fact: 'status', operator: 'equal', value: 'enrolled' })),
    };
    expect(problemsOf(many)).toEqual([
      { field: 'rules', problem: 'has 102 conditions; at most 100 are allowed' },
    ]);
  });

  it('uses the base path it is given', () => {
    const result = new RuleSetValidator().validate(
      { all: [{ fact: 'x', operator: 'equal', value: 1 }] },
      'body',
    );
    expect(result.ok ? null : result.problems[0].field).toBe('body.all[0].fact');
  });
});

describe('closestName', () => {
  it('suggests close names only', () => {
    expect(closestName('intakeyear', ['intakeYear', 'status'])).toBe('intakeYear');
    expect(closestName('completelyDifferent', ['intakeYear', 'status'])).toBeNull();
  });
});
