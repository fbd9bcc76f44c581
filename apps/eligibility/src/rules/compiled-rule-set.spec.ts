import { CompiledRuleSet } from './compiled-rule-set';
import { Condition, OperatorName, RuleSet, ScalarValue } from './rule-set';
import { RuleSetValidator } from './rule-set.validator';
import { StudentFacts, studentFacts } from './student-facts';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const regions = ['Gao', 'Tombouctou', 'Kidal', 'Ménaka', 'Taoudénit', 'Bamako', 'Mopti', 'Ségou'];
const programmes = ['nursing', 'midwifery', 'pharmacy'];
const statuses = ['enrolled', 'suspended', 'withdrawn', 'graduated'];

function pick<T>(next: () => number, values: readonly T[]): T {
  return values[Math.floor(next() * values.length)];
}

function randomLeaf(next: () => number): Condition {
  const kind = Math.floor(next() * 7);
  const listOp = (): OperatorName => (next() < 0.5 ? 'in' : 'notIn');
  const compareOp = (): OperatorName =>
    pick(next, ['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'] as const);
  switch (kind) {
    case 0:
      return {
        fact: 'regionOfOrigin',
        operator: listOp(),
        value: regions.filter(() => next() < 0.4).concat(pick(next, regions)),
      };
    case 1:
      return { fact: 'status', operator: next() < 0.5 ? 'equal' : 'notEqual', value: pick(next, statuses) };
    case 2:
      return { fact: 'intakeYear', operator: compareOp(), value: 2010 + Math.floor(next() * 8) };
    case 3:
      return {
        fact: 'dateOfBirth',
        operator: compareOp(),
        value: `19${90 + Math.floor(next() * 9)}-0${1 + Math.floor(next() * 9)}-15`,
      };
    case 4:
      return { fact: 'hasPhone', operator: next() < 0.5 ? 'equal' : 'notEqual', value: next() < 0.5 };
    case 5:
      return {
        fact: 'operator',
        operator: listOp(),
        value: (['orange', null, 'moov'] as ScalarValue[])
          .filter(() => next() < 0.6)
          .concat(pick(next, ['orange', null])),
      };
    default:
      return { fact: 'programmeOfStudy', operator: listOp(), value: [pick(next, programmes)] };
  }
}

function randomCondition(next: () => number, depth: number): Condition {
  if (depth >= 3 || next() < 0.5) return randomLeaf(next);
  const kind = pick(next, ['all', 'any', 'not'] as const);
  if (kind === 'not') return { not: randomCondition(next, depth + 1) };
  const members = Array.from({ length: 1 + Math.floor(next() * 3) }, () => randomCondition(next, depth + 1));
  return kind === 'all' ? { all: members } : { any: members };
}

function randomFacts(next: () => number): StudentFacts {
  const hasPhone = next() < 0.8;
  return studentFacts({
    regionOfOrigin: pick(next, regions),
    programmeOfStudy: pick(next, programmes),
    status: pick(next, statuses),
    intakeYear: 2010 + Math.floor(next() * 8),
    dateOfBirth: `19${90 + Math.floor(next() * 9)}-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`,
    sex: next() < 0.7 ? 'F' : 'M',
    schoolCode: 'ESS-GAO',
    schoolId: '0f0b6c9e-2b7a-4a53-8f0e-6f1d9a1c3b22',
    operator: hasPhone ? pick(next, ['orange', 'moov']) : null,
    hasPhone,
  });
}

describe('CompiledRuleSet', () => {
  it('explains and screens exactly as json-rules-engine decides, on 300 random rule sets × 40 random students', async () => {
    const next = random(20140901);
    const validator = new RuleSetValidator();
    let eligibleCount = 0;
    let total = 0;
    for (let ruleIndex = 0; ruleIndex < 300; ruleIndex++) {
      const rules = {
        [pick(next, ['all', 'any'] as const)]: [randomCondition(next, 1), randomCondition(next, 1)],
      } as unknown as RuleSet;
      expect(validator.validate(rules)).toMatchObject({ ok: true });
      const compiled = new CompiledRuleSet(rules);
      const factSets = Array.from({ length: 40 }, () => randomFacts(next));
      const evaluations = await compiled.evaluateAll(factSets);
      evaluations.forEach((evaluation, index) => {
        total++;
        if (evaluation.eligible) eligibleCount++;
        expect(evaluation.explanationAgrees).toBe(true);
        expect(evaluation.failures.length === 0).toBe(evaluation.eligible);
        expect(compiled.screen(factSets[index])).toBe(evaluation.eligible);
      });
    }
    // The generator must exercise both verdicts, or the agreement above proves little.
    expect(eligibleCount).toBeGreaterThan(total * 0.1);
    expect(eligibleCount).toBeLessThan(total * 0.9);
  });

  it('stays correct when evaluations are requested concurrently', async () => {
    const compiled = new CompiledRuleSet({
      all: [{ fact: 'intakeYear', operator: 'greaterThanInclusive', value: 2013 }],
    });
    const next = random(7);
    const factSets = Array.from({ length: 200 }, () => randomFacts(next));
    const evaluations = await Promise.all(factSets.map((facts) => compiled.evaluate(facts)));
    evaluations.forEach((evaluation, index) => {
      expect(evaluation.eligible).toBe((factSets[index].intakeYear as number) >= 2013);
    });
  });

  it('explains with the outcomes of every condition', async () => {
    const rules: RuleSet = {
      any: [
        { fact: 'regionOfOrigin', operator: 'in', value: ['Gao'] },
        { fact: 'intakeYear', operator: 'equal', value: 2014 },
      ],
    };
    const evaluation = await new CompiledRuleSet(rules).evaluate(randomFacts(random(3)));
    expect(evaluation.outcomes).toHaveLength(2);
  });
});
