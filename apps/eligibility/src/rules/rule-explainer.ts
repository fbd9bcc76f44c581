import { FactDefinition, FactValue, StudentFacts, displayValue, factCatalogue } from './student-facts';
import {
  Condition,
  GroupCondition,
  LeafCondition,
  ScalarValue,
  groupChildren,
  groupKind,
  isLeaf,
} from './rule-set';

/** One condition's outcome for one student, in words. */
export interface RuleOutcome {
  /** Where the condition sits in the rule set, e.g. `all[2].any[0]`. */
  path: string;
  /** The condition itself: its name, or `fact operator value`. */
  rule: string;
  passed: boolean;
  explanation: string;
}

export interface Explanation {
  passed: boolean;
  /** Every condition (and every nested group) in rule-set order, each evaluated: no short-circuit. */
  outcomes: RuleOutcome[];
  /** Why the rule set fails, in words (empty when it passes). */
  failures: string[];
}

/** Evaluates one leaf operator the way json-rules-engine does (see `libraryOperators`). */
export type OperatorEvaluator = (
  operator: string,
  factValue: FactValue,
  value: ScalarValue | ScalarValue[],
) => boolean;

interface NodeResult {
  passed: boolean;
  explanation: string;
  failures: string[];
}

/**
 * Explains a rule set over one student's facts: every condition's outcome in plain words
 * ("region of origin Bamako is not one of Gao, Tombouctou, Kidal, Ménaka, Taoudénit"). Leaf
 * outcomes come from json-rules-engine's own operators; unlike the engine, which stops at the first
 * decisive condition, every condition is evaluated so the explanation is complete. Pure: no I/O.
 */
export class RuleExplainer {
  constructor(private readonly evaluateOperator: OperatorEvaluator) {}

  explain(rules: GroupCondition, facts: StudentFacts): Explanation {
    const outcomes: RuleOutcome[] = [];
    const root = this.node(rules, '', facts, outcomes, true);
    return { passed: root.passed, outcomes, failures: root.passed ? [] : root.failures };
  }

  private node(
    condition: Condition,
    path: string,
    facts: StudentFacts,
    outcomes: RuleOutcome[],
    isRoot = false,
  ): NodeResult {
    if (isLeaf(condition)) {
      const factValue = facts[condition.fact] ?? null;
      const passed = this.evaluateOperator(condition.operator, factValue, condition.value);
      const explanation = describeLeaf(condition, factValue, passed);
      outcomes.push({ path, rule: condition.name ?? ruleText(condition), passed, explanation });
      return { passed, explanation, failures: passed ? [] : [explanation] };
    }
    const position = outcomes.length;
    const children = groupChildren(condition).map(({ segment, child }) =>
      this.node(child, path ? `${path}.${segment}` : segment, facts, outcomes),
    );
    const result = combine(condition, children);
    if (!isRoot) {
      // The group's own line goes before its members, as it reads in the rule set.
      outcomes.splice(position, 0, {
        path,
        rule: condition.name ?? groupText(condition, children.length),
        passed: result.passed,
        explanation: result.explanation,
      });
    }
    return result;
  }
}

function combine(condition: GroupCondition, children: NodeResult[]): NodeResult {
  const kind = groupKind(condition);
  const holding = children.filter((child) => child.passed).length;
  const total = children.length;
  if (kind === 'all') {
    const passed = holding === total;
    return {
      passed,
      explanation: passed
        ? `all ${total} conditions hold`
        : `${total - holding} of ${total} conditions do not hold`,
      failures: children.filter((child) => !child.passed).flatMap((child) => child.failures),
    };
  }
  if (kind === 'any') {
    const passed = holding > 0;
    return {
      passed,
      explanation: passed
        ? `${holding} of ${total} alternatives hold (one is enough)`
        : `none of the ${total} alternatives holds`,
      failures: passed
        ? []
        : [`none of these holds: ${children.flatMap((child) => child.failures).join('; ')}`],
    };
  }
  const [child] = children;
  return {
    passed: !child.passed,
    explanation: child.passed
      ? `excluded: ${child.explanation}`
      : `the excluded case does not apply (${child.explanation})`,
    failures: child.passed ? [`excluded: ${child.explanation}`] : [],
  };
}

/** `regionOfOrigin in [Gao, Tombouctou]`: the condition written out, for people. */
export function ruleText(condition: LeafCondition): string {
  return `${condition.fact} ${condition.operator} ${valueText(condition.value)}`;
}

function groupText(condition: GroupCondition, count: number): string {
  switch (groupKind(condition)) {
    case 'all':
      return `all of ${count} conditions`;
    case 'any':
      return `any of ${count} conditions`;
    case 'not':
      return 'not';
  }
}

function valueText(value: ScalarValue | ScalarValue[]): string {
  if (Array.isArray(value)) return `[${value.map((item) => String(item)).join(', ')}]`;
  return String(value);
}

const numberWords: Record<string, [string, string]> = {
  lessThan: ['is less than', 'is not less than'],
  lessThanInclusive: ['is at most', 'is more than'],
  greaterThan: ['is more than', 'is not more than'],
  greaterThanInclusive: ['is at least', 'is not at least'],
};

const dateWords: Record<string, [string, string]> = {
  lessThan: ['is before', 'is not before'],
  lessThanInclusive: ['is on or before', 'is after'],
  greaterThan: ['is after', 'is not after'],
  greaterThanInclusive: ['is on or after', 'is not on or after'],
};

/** One condition's outcome in plain words, stating the student's value and what the rule asks. */
export function describeLeaf(condition: LeafCondition, factValue: FactValue, passed: boolean): string {
  const fact: FactDefinition = factCatalogue[condition.fact];
  const actual = displayValue(fact, factValue);
  const list = (values: ScalarValue[]) => values.map((value) => displayValue(fact, value)).join(', ');
  const value = condition.value;

  if (
    fact.type === 'boolean' &&
    fact.sentence &&
    typeof factValue === 'boolean' &&
    !Array.isArray(value) &&
    typeof value === 'boolean'
  ) {
    const required = condition.operator === 'notEqual' ? !value : value;
    return passed
      ? fact.sentence(factValue)
      : `${fact.sentence(factValue)}; required: ${fact.sentence(required)}`;
  }
  switch (condition.operator) {
    case 'equal':
      return passed
        ? `${fact.label} is ${displayValue(fact, value as ScalarValue)}`
        : `${fact.label} is ${actual}, not ${displayValue(fact, value as ScalarValue)}`;
    case 'notEqual':
      return passed
        ? `${fact.label} ${actual} is not ${displayValue(fact, value as ScalarValue)}`
        : `${fact.label} is ${actual}, which is excluded`;
    case 'in':
      return passed
        ? `${fact.label} ${actual} is one of ${list(value as ScalarValue[])}`
        : `${fact.label} ${actual} is not one of ${list(value as ScalarValue[])}`;
    case 'notIn':
      return passed
        ? `${fact.label} ${actual} is not one of ${list(value as ScalarValue[])}`
        : `${fact.label} ${actual} is one of the excluded ${list(value as ScalarValue[])}`;
    case 'lessThan':
    case 'lessThanInclusive':
    case 'greaterThan':
    case 'greaterThanInclusive': {
      const words = (fact.type === 'date' ? dateWords : numberWords)[condition.operator];
      if (factValue === null)
        return `${fact.label} is not recorded, so it cannot be compared with ${displayValue(fact, value as ScalarValue)}`;
      return `${fact.label} ${actual} ${passed ? words[0] : words[1]} ${displayValue(fact, value as ScalarValue)}`;
    }
  }
}
