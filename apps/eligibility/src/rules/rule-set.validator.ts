import { Rule } from 'json-rules-engine';
import { FactDefinition, factCatalogue, isKnownFact, knownFactNames } from './student-facts';
import {
  comparisonOperators,
  Condition,
  equalityOperators,
  listFactOperators,
  membershipOperators,
  OperatorName,
  RuleSet,
  ScalarValue,
  supportedOperators,
} from './rule-set';

export interface RuleProblem {
  /** Where in the request body, e.g. `rules.all[2].fact`. */
  field: string;
  problem: string;
}

export type RuleSetValidation =
  { ok: true; rules: RuleSet; conditionCount: number } | { ok: false; problems: RuleProblem[] };

export const ruleSetLimits = {
  maxDepth: 8,
  maxConditions: 100,
  maxListValues: 200,
  maxTextLength: 200,
} as const;

const leafKeys = ['fact', 'operator', 'value', 'name'];
const groupKeys = ['all', 'any', 'not'];
const isoDate = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/**
 * Checks a rule set before it is saved: its structure (groups, nesting, operators), that every fact
 * is one eligibility knows, and that every value has the type its fact and operator need. Each
 * problem names the JSON path where it is. A rule set that passes is also handed to
 * json-rules-engine, which must accept it too: the library stays the judge of what a rule means.
 */
export class RuleSetValidator {
  validate(input: unknown, basePath = 'rules'): RuleSetValidation {
    const problems: RuleProblem[] = [];
    const counter = { conditions: 0 };
    if (!isPlainObject(input) || !groupKeys.some((key) => key in input)) {
      return {
        ok: false,
        problems: [
          {
            field: basePath,
            problem:
              'must be a condition group: { "all": [ ... ] }, { "any": [ ... ] } or { "not": { ... } }',
          },
        ],
      };
    }
    const rules = this.condition(input, basePath, 1, counter, problems) as RuleSet | null;
    if (counter.conditions > ruleSetLimits.maxConditions) {
      problems.push({
        field: basePath,
        problem: `has ${counter.conditions} conditions; at most ${ruleSetLimits.maxConditions} are allowed`,
      });
    }
    if (problems.length > 0 || !rules) return { ok: false, problems };
    try {
      new Rule({ conditions: structuredClone(rules) as never, event: { type: 'eligible' } });
    } catch (error) {
      return {
        ok: false,
        problems: [{ field: basePath, problem: `json-rules-engine refuses it: ${(error as Error).message}` }],
      };
    }
    return { ok: true, rules, conditionCount: counter.conditions };
  }

  private condition(
    input: unknown,
    path: string,
    depth: number,
    counter: { conditions: number },
    problems: RuleProblem[],
  ): Condition | null {
    counter.conditions++;
    if (!isPlainObject(input)) {
      problems.push({
        field: path,
        problem: 'must be an object: a condition { "fact", "operator", "value" } or a group',
      });
      return null;
    }
    if (depth > ruleSetLimits.maxDepth) {
      problems.push({ field: path, problem: `nests deeper than ${ruleSetLimits.maxDepth} levels` });
      return null;
    }
    const groups = groupKeys.filter((key) => key in input);
    if (groups.length > 1) {
      problems.push({
        field: path,
        problem: `has both ${groups.map((key) => `"${key}"`).join(' and ')}; a group has exactly one of all, any or not`,
      });
      return null;
    }
    if (groups.length === 1)
      return this.group(input, groups[0] as 'all' | 'any' | 'not', path, depth, counter, problems);
    if ('condition' in input) {
      problems.push({
        field: `${path}.condition`,
        problem: 'named condition references are not supported; write the condition out',
      });
      return null;
    }
    return this.leaf(input, path, problems);
  }

  private group(
    input: Record<string, unknown>,
    kind: 'all' | 'any' | 'not',
    path: string,
    depth: number,
    counter: { conditions: number },
    problems: RuleProblem[],
  ): Condition | null {
    const before = problems.length;
    for (const key of Object.keys(input)) {
      if (key !== kind && key !== 'name') {
        problems.push({
          field: `${path}.${key}`,
          problem: `is not allowed in a group; a group has "${kind}" and optionally "name"`,
        });
      }
    }
    const name = this.name(input, path, problems);
    const members = input[kind];
    if (kind === 'not') {
      if (!isPlainObject(members)) {
        problems.push({ field: `${path}.not`, problem: 'must be one condition object (not a list)' });
        return null;
      }
      const child = this.condition(members, `${path}.not`, depth + 1, counter, problems);
      if (!child || problems.length > before) return null;
      return { not: child, ...(name ? { name } : {}) };
    }
    if (!Array.isArray(members)) {
      problems.push({ field: `${path}.${kind}`, problem: 'must be a list of conditions' });
      return null;
    }
    if (members.length === 0) {
      problems.push({ field: `${path}.${kind}`, problem: 'must hold at least one condition' });
      return null;
    }
    const children = members.map((member, index) =>
      this.condition(member, `${path}.${kind}[${index}]`, depth + 1, counter, problems),
    );
    if (problems.length > before || children.some((child) => child === null)) return null;
    return kind === 'all'
      ? { all: children as Condition[], ...(name ? { name } : {}) }
      : { any: children as Condition[], ...(name ? { name } : {}) };
  }

  private leaf(input: Record<string, unknown>, path: string, problems: RuleProblem[]): Condition | null {
    const before = problems.length;
    for (const key of Object.keys(input)) {
      if (!leafKeys.includes(key)) {
        problems.push({
          field: `${path}.${key}`,
          problem: `is not a known property; a condition has "fact", "operator", "value" and optionally "name"`,
        });
      }
    }
    const name = this.name(input, path, problems);
    for (const key of ['fact', 'operator', 'value']) {
      if (!(key in input)) problems.push({ field: `${path}.${key}`, problem: 'is required' });
    }
    if (problems.length > before) return null;

    const { fact, operator, value } = input;
    if (typeof fact !== 'string' || !isKnownFact(fact)) {
      const shown = typeof fact === 'string' ? `"${fact}"` : JSON.stringify(fact);
      const suggestion = typeof fact === 'string' ? closestName(fact, knownFactNames) : null;
      problems.push({
        field: `${path}.fact`,
        problem: `unknown fact ${shown}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; known facts: ${knownFactNames.join(', ')}`,
      });
      return null;
    }
    const definition = factCatalogue[fact];
    if (typeof operator !== 'string' || !(supportedOperators as readonly string[]).includes(operator)) {
      const shown = typeof operator === 'string' ? `"${operator}"` : JSON.stringify(operator);
      const listOperator =
        typeof operator === 'string' && (listFactOperators as readonly string[]).includes(operator);
      problems.push({
        field: `${path}.operator`,
        problem: listOperator
          ? `operator ${shown} tests a list-valued fact and no student fact is a list; use "in" or "equal"`
          : `unknown operator ${shown}; known operators: ${supportedOperators.join(', ')}`,
      });
      return null;
    }
    const checked = this.checkValue(definition, operator as OperatorName, value);
    if ('problem' in checked) {
      problems.push({ field: `${path}.value`, problem: checked.problem });
      return null;
    }
    return {
      fact,
      operator: operator as OperatorName,
      value: checked.value,
      ...(name ? { name } : {}),
    };
  }

  private name(input: Record<string, unknown>, path: string, problems: RuleProblem[]): string | undefined {
    if (!('name' in input)) return undefined;
    const name = input.name;
    if (typeof name !== 'string' || name.trim().length === 0 || name.length > ruleSetLimits.maxTextLength) {
      problems.push({
        field: `${path}.name`,
        problem: `must be a non-empty text of at most ${ruleSetLimits.maxTextLength} characters`,
      });
      return undefined;
    }
    return name;
  }

  /** The value as it is saved (in the form the fact is stored in), or why no student can match it. */
  private checkValue(fact: FactDefinition, operator: OperatorName, value: unknown): CheckedValue {
    if (isPlainObject(value) && 'fact' in value) {
      return { problem: 'must be a literal value; comparing one fact with another is not supported' };
    }
    if ((comparisonOperators as readonly string[]).includes(operator)) {
      if (fact.type !== 'integer' && fact.type !== 'date') {
        return {
          problem: `operator "${operator}" compares numbers or dates, and ${fact.name} is ${describeType(fact)}; use "equal" or "in"`,
        };
      }
      return this.checkScalar(fact, value, false);
    }
    if ((membershipOperators as readonly string[]).includes(operator)) {
      if (!Array.isArray(value))
        return { problem: `operator "${operator}" needs a list of values, e.g. [${exampleValue(fact)}]` };
      if (value.length === 0) return { problem: 'must list at least one value' };
      if (value.length > ruleSetLimits.maxListValues)
        return {
          problem: `lists ${value.length} values; at most ${ruleSetLimits.maxListValues} are allowed`,
        };
      const values: ScalarValue[] = [];
      for (let index = 0; index < value.length; index++) {
        const checked = this.checkScalar(fact, value[index], fact.nullable);
        if ('problem' in checked) return { problem: `[${index}] ${checked.problem}` };
        values.push(checked.value);
      }
      return { value: values };
    }
    if ((equalityOperators as readonly string[]).includes(operator)) {
      if (Array.isArray(value))
        return {
          problem: `operator "${operator}" compares with one value; to test a list use "${operator === 'equal' ? 'in' : 'notIn'}"`,
        };
      return this.checkScalar(fact, value, fact.nullable);
    }
    return { problem: `operator "${operator}" is not supported` };
  }

  private checkScalar(
    fact: FactDefinition,
    value: unknown,
    allowNull: boolean,
  ): { value: ScalarValue } | { problem: string } {
    if (value === null)
      return allowNull ? { value } : { problem: `must not be null: ${fact.name} is always recorded` };
    switch (fact.type) {
      case 'text': {
        if (typeof value !== 'string' || value.length === 0 || value.length > ruleSetLimits.maxTextLength) {
          return { problem: `must be a non-empty text (${fact.name} is text), got ${JSON.stringify(value)}` };
        }
        if (!fact.canonical) return { value };
        const canonical = fact.canonical.of(value);
        return canonical === null
          ? { problem: `${JSON.stringify(value)} can never be a ${fact.name}: ${fact.canonical.form}` }
          : { value: canonical };
      }
      case 'enum': {
        if (typeof value !== 'string' || !fact.values!.includes(value)) {
          const suggestion = typeof value === 'string' ? closestName(value, fact.values!) : null;
          return {
            problem: `${JSON.stringify(value)} is not a possible ${fact.name}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; possible values: ${fact.values!.join(', ')}`,
          };
        }
        return { value };
      }
      case 'integer':
        if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
          return {
            problem: `must be a whole number (${fact.name} is a whole number), got ${JSON.stringify(value)}`,
          };
        }
        return { value };
      case 'date':
        if (typeof value !== 'string' || !isRealDate(value)) {
          return {
            problem: `must be a date written YYYY-MM-DD (${fact.name} is a date), got ${JSON.stringify(value)}`,
          };
        }
        return { value };
      case 'boolean':
        if (typeof value !== 'boolean')
          return {
            problem: `must be true or false (${fact.name} is true or false), got ${JSON.stringify(value)}`,
          };
        return { value };
    }
  }
}

type CheckedValue = { value: ScalarValue | ScalarValue[] } | { problem: string };

function describeType(fact: FactDefinition): string {
  switch (fact.type) {
    case 'text':
      return 'text';
    case 'enum':
      return `one of ${fact.values!.join(', ')}`;
    case 'boolean':
      return 'true or false';
    case 'integer':
      return 'a whole number';
    case 'date':
      return 'a date';
  }
}

function exampleValue(fact: FactDefinition): string {
  switch (fact.type) {
    case 'enum':
      return fact.values!.map((value) => `"${value}"`).join(', ');
    case 'integer':
      return '2013, 2014';
    case 'date':
      return '"2000-01-01"';
    case 'boolean':
      return 'true';
    case 'text':
      return '"Gao", "Kidal"';
  }
}

function isRealDate(value: string): boolean {
  if (!isoDate.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The known name closest to a misspelt one, if it is close enough to be a likely typo. */
export function closestName(input: string, names: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const name of names) {
    const distance = levenshtein(input.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : null;
}

function levenshtein(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(
        previous[j] + 1,
        previous[j - 1] + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return previous[b.length];
}
