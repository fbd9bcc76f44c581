/**
 * Eligibility rules are data: a json-rules-engine condition object (`all` / `any` / `not` groups
 * nesting leaf conditions over student facts). These are its shapes once validated.
 */
export const comparisonOperators = [
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
] as const;
export const equalityOperators = ['equal', 'notEqual'] as const;
export const membershipOperators = ['in', 'notIn'] as const;
/** json-rules-engine's list operators: they test a list-valued fact, and no student fact is a list. */
export const listFactOperators = ['contains', 'doesNotContain'] as const;

export const supportedOperators = [
  ...equalityOperators,
  ...membershipOperators,
  ...comparisonOperators,
] as const;
export type OperatorName = (typeof supportedOperators)[number];

export type ScalarValue = string | number | boolean | null;

export interface LeafCondition {
  fact: string;
  operator: OperatorName;
  value: ScalarValue | ScalarValue[];
  name?: string;
}

export interface AllGroup {
  all: Condition[];
  name?: string;
}
export interface AnyGroup {
  any: Condition[];
  name?: string;
}
export interface NotGroup {
  not: Condition;
  name?: string;
}

export type GroupCondition = AllGroup | AnyGroup | NotGroup;
export type Condition = LeafCondition | GroupCondition;
/** The root of a rule set is always a group (json-rules-engine requires it). */
export type RuleSet = GroupCondition;

export function isLeaf(condition: Condition): condition is LeafCondition {
  return 'fact' in condition;
}

export function groupKind(condition: GroupCondition): 'all' | 'any' | 'not' {
  if ('all' in condition) return 'all';
  if ('any' in condition) return 'any';
  return 'not';
}

/** The children of a group, with the path segment each sits at. */
export function groupChildren(condition: GroupCondition): { segment: string; child: Condition }[] {
  if ('all' in condition) return condition.all.map((child, index) => ({ segment: `all[${index}]`, child }));
  if ('any' in condition) return condition.any.map((child, index) => ({ segment: `any[${index}]`, child }));
  return [{ segment: 'not', child: condition.not }];
}
