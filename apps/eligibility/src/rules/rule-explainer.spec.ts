import { Engine } from 'json-rules-engine';
import { libraryOperators } from './compiled-rule-set';
import { RuleExplainer } from './rule-explainer';
import { RuleSet } from './rule-set';
import { StudentFacts, studentFacts } from './student-facts';

const explainer = new RuleExplainer(libraryOperators(new Engine()));

const northern = ['Gao', 'Tombouctou', 'Kidal', 'Ménaka', 'Taoudénit'];

const rules: RuleSet = {
  all: [
    { fact: 'regionOfOrigin', operator: 'in', value: northern },
    { fact: 'status', operator: 'equal', value: 'enrolled' },
    {
      any: [
        { fact: 'programmeOfStudy', operator: 'equal', value: 'nursing' },
        { fact: 'programmeOfStudy', operator: 'equal', value: 'midwifery' },
      ],
    },
    { fact: 'intakeYear', operator: 'greaterThanInclusive', value: 2013 },
  ],
};

function facts(overrides: Partial<Parameters<typeof studentFacts>[0]> = {}): StudentFacts {
  return studentFacts({
    regionOfOrigin: 'Gao',
    programmeOfStudy: 'nursing',
    status: 'enrolled',
    intakeYear: 2014,
    dateOfBirth: '1996-05-02',
    sex: 'F',
    schoolCode: 'ESS-GAO',
    schoolId: '0f0b6c9e-2b7a-4a53-8f0e-6f1d9a1c3b22',
    operator: 'orange',
    hasPhone: true,
    ...overrides,
  });
}

describe('RuleExplainer', () => {
  it('explains every condition of a passing rule set in words', () => {
    const explanation = explainer.explain(rules, facts());
    expect(explanation.passed).toBe(true);
    expect(explanation.failures).toEqual([]);
    expect(explanation.outcomes).toEqual([
      {
        path: 'all[0]',
        rule: 'regionOfOrigin in [Gao, Tombouctou, Kidal, Ménaka, Taoudénit]',
        passed: true,
        explanation: 'region of origin Gao is one of Gao, Tombouctou, Kidal, Ménaka, Taoudénit',
      },
      { path: 'all[1]', rule: 'status equal enrolled', passed: true, explanation: 'status is enrolled' },
      {
        path: 'all[2]',
        rule: 'any of 2 conditions',
        passed: true,
        explanation: '1 of 2 alternatives hold (one is enough)',
      },
      {
        path: 'all[2].any[0]',
        rule: 'programmeOfStudy equal nursing',
        passed: true,
        explanation: 'programme of study is nursing',
      },
      {
        path: 'all[2].any[1]',
        rule: 'programmeOfStudy equal midwifery',
        passed: false,
        explanation: 'programme of study is nursing, not midwifery',
      },
      {
        path: 'all[3]',
        rule: 'intakeYear greaterThanInclusive 2013',
        passed: true,
        explanation: 'intake year 2014 is at least 2013',
      },
    ]);
  });

  it('evaluates every condition (no short-circuit) and says why a student fails', () => {
    const explanation = explainer.explain(
      rules,
      facts({ regionOfOrigin: 'Bamako', intakeYear: 2012, programmeOfStudy: 'pharmacy' }),
    );
    expect(explanation.passed).toBe(false);
    expect(explanation.outcomes.map((outcome) => outcome.explanation)).toEqual([
      'region of origin Bamako is not one of Gao, Tombouctou, Kidal, Ménaka, Taoudénit',
      'status is enrolled',
      'none of the 2 alternatives holds',
      'programme of study is pharmacy, not nursing',
      'programme of study is pharmacy, not midwifery',
      'intake year 2012 is not at least 2013',
    ]);
    expect(explanation.failures).toEqual([
      'region of origin Bamako is not one of Gao, Tombouctou, Kidal, Ménaka, Taoudénit',
      'none of these holds: programme of study is pharmacy, not nursing; programme of study is pharmacy, not midwifery',
      'intake year 2012 is not at least 2013',
    ]);
  });

  it('words each operator both ways', () => {
    const cases: [RuleSet, Partial<Parameters<typeof studentFacts>[0]>, boolean, string][] = [
      [
        { all: [{ fact: 'status', operator: 'notEqual', value: 'withdrawn' }] },
        {},
        true,
        'status enrolled is not withdrawn',
      ],
      [
        { all: [{ fact: 'status', operator: 'notEqual', value: 'withdrawn' }] },
        { status: 'withdrawn' },
        false,
        'status is withdrawn, which is excluded',
      ],
      [
        { all: [{ fact: 'regionOfOrigin', operator: 'notIn', value: ['Bamako', 'Koulikoro'] }] },
        { regionOfOrigin: 'Bamako' },
        false,
        'region of origin Bamako is one of the excluded Bamako, Koulikoro',
      ],
      [
        { all: [{ fact: 'regionOfOrigin', operator: 'notIn', value: ['Bamako'] }] },
        {},
        true,
        'region of origin Gao is not one of Bamako',
      ],
      [
        { all: [{ fact: 'intakeYear', operator: 'lessThan', value: 2014 }] },
        {},
        false,
        'intake year 2014 is not less than 2014',
      ],
      [
        { all: [{ fact: 'intakeYear', operator: 'lessThanInclusive', value: 2014 }] },
        {},
        true,
        'intake year 2014 is at most 2014',
      ],
      [
        { all: [{ fact: 'intakeYear', operator: 'lessThanInclusive', value: 2013 }] },
        {},
        false,
        'intake year 2014 is more than 2013',
      ],
      [
        { all: [{ fact: 'intakeYear', operator: 'greaterThan', value: 2014 }] },
        {},
        false,
        'intake year 2014 is not more than 2014',
      ],
      [
        { all: [{ fact: 'ageAtIntake', operator: 'lessThanInclusive', value: 25 }] },
        {},
        true,
        'age at intake 18 is at most 25',
      ],
      [
        { all: [{ fact: 'dateOfBirth', operator: 'greaterThanInclusive', value: '1997-01-01' }] },
        {},
        false,
        'date of birth 1996-05-02 is not on or after 1997-01-01',
      ],
      [
        { all: [{ fact: 'dateOfBirth', operator: 'lessThan', value: '1997-01-01' }] },
        {},
        true,
        'date of birth 1996-05-02 is before 1997-01-01',
      ],
      [
        { all: [{ fact: 'sex', operator: 'equal', value: 'F' }] },
        { sex: 'M' },
        false,
        'sex is male (M), not female (F)',
      ],
      [
        { all: [{ fact: 'hasPhone', operator: 'equal', value: true }] },
        { hasPhone: false, operator: null },
        false,
        'has no phone number on record; required: has a phone number on record',
      ],
      [
        { all: [{ fact: 'hasPhone', operator: 'notEqual', value: false }] },
        {},
        true,
        'has a phone number on record',
      ],
      [
        { all: [{ fact: 'operator', operator: 'in', value: ['orange'] }] },
        { operator: null },
        false,
        'mobile-money operator (not recorded) is not one of orange',
      ],
      [
        { all: [{ fact: 'operator', operator: 'equal', value: null }] },
        { operator: null },
        true,
        'mobile-money operator is (not recorded)',
      ],
    ];
    for (const [ruleSet, overrides, passed, words] of cases) {
      const explanation = explainer.explain(ruleSet, facts(overrides));
      expect({ passed: explanation.passed, words: explanation.outcomes[0].explanation }).toEqual({
        passed,
        words,
      });
    }
  });

  it('explains a not group, with names where the rule set gives them', () => {
    const ruleSet: RuleSet = {
      all: [
        { name: 'not from the capital', not: { fact: 'regionOfOrigin', operator: 'equal', value: 'Bamako' } },
      ],
    };
    const failing = explainer.explain(ruleSet, facts({ regionOfOrigin: 'Bamako' }));
    expect(failing.outcomes).toEqual([
      {
        path: 'all[0]',
        rule: 'not from the capital',
        passed: false,
        explanation: 'excluded: region of origin is Bamako',
      },
      {
        path: 'all[0].not',
        rule: 'regionOfOrigin equal Bamako',
        passed: true,
        explanation: 'region of origin is Bamako',
      },
    ]);
    expect(failing.failures).toEqual(['excluded: region of origin is Bamako']);
    const passing = explainer.explain(ruleSet, facts());
    expect(passing.passed).toBe(true);
    expect(passing.outcomes[0].explanation).toBe(
      'the excluded case does not apply (region of origin is Gao, not Bamako)',
    );
  });
});
