import { Engine } from 'json-rules-engine';
import { Explanation, OperatorEvaluator, RuleExplainer, RuleOutcome } from './rule-explainer';
import { Condition, groupKind, isLeaf, RuleSet, ScalarValue } from './rule-set';
import { FactValue, StudentFacts } from './student-facts';

export interface RuleEvaluation {
  /** json-rules-engine's verdict: the source of truth. */
  eligible: boolean;
  outcomes: RuleOutcome[];
  failures: string[];
  /** False when the explanation's own verdict differs from the engine's (a bug worth an alarm). */
  explanationAgrees: boolean;
}

const ELIGIBLE_EVENT = 'eligible';

/**
 * One rule set, ready to evaluate many students: one json-rules-engine Engine (built once, reused
 * for every fact set) decides; the explainer, using the same engine's operators, says why.
 * Engine.run keeps run state on the engine, so evaluations are serialized here.
 *
 * For batches there is also `screen`: the same condition object compiled once into a predicate
 * over json-rules-engine's own operator implementations (all/any/not combined as the engine does).
 * It is about twenty times cheaper than an engine run; a batch uses it to find the students whose
 * verdict may have changed, and the engine then decides each of those. Unit tests hold it to the
 * engine's verdict on thousands of random rule sets and students.
 */
export class CompiledRuleSet {
  private readonly engine: Engine;
  private readonly explainer: RuleExplainer;
  private readonly predicate: (facts: StudentFacts) => boolean;
  /** The facts the rules name: the only ones handed to the engine (fewer facts, cheaper runs). */
  private readonly referencedFacts: string[];
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly rules: RuleSet) {
    this.engine = new Engine([], {
      allowUndefinedFacts: false,
      allowUndefinedConditions: false,
      replaceFactsInEventParams: false,
    });
    this.engine.addRule({ conditions: structuredClone(rules) as never, event: { type: ELIGIBLE_EVENT } });
    const operators = libraryOperators(this.engine);
    this.explainer = new RuleExplainer(operators);
    this.predicate = compilePredicate(rules, operators);
    this.referencedFacts = [...new Set(factsNamedIn(rules))];
  }

  /** The rules' verdict without an engine run (see the class comment): for screening a batch. */
  screen(facts: StudentFacts): boolean {
    return this.predicate(facts);
  }

  evaluate(facts: StudentFacts): Promise<RuleEvaluation> {
    const run = this.tail.then(() => this.evaluateNow(facts));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Evaluates many fact sets in order (one engine run at a time). */
  async evaluateAll(factSets: StudentFacts[]): Promise<RuleEvaluation[]> {
    const run = this.tail.then(async () => {
      const evaluations: RuleEvaluation[] = [];
      for (const facts of factSets) evaluations.push(await this.evaluateNow(facts));
      return evaluations;
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** json-rules-engine's verdicts alone, in order: what a batch needs for every student. */
  async decideAll(factSets: StudentFacts[]): Promise<boolean[]> {
    const run = this.tail.then(async () => {
      const verdicts: boolean[] = [];
      for (const facts of factSets) verdicts.push(await this.decideNow(facts));
      return verdicts;
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Every condition's outcome in words (no engine run): what a changed decision publishes. */
  explain(facts: StudentFacts): Explanation {
    return this.explainer.explain(this.rules, facts);
  }

  private async decideNow(facts: StudentFacts): Promise<boolean> {
    const named: StudentFacts = {};
    for (const fact of this.referencedFacts) named[fact] = facts[fact] ?? null;
    const result = await this.engine.run(named);
    if (result.results.length + result.failureResults.length !== 1) {
      throw new Error('json-rules-engine did not evaluate the eligibility rule (engine run interrupted)');
    }
    return result.results.length === 1;
  }

  private async evaluateNow(facts: StudentFacts): Promise<RuleEvaluation> {
    const eligible = await this.decideNow(facts);
    const explanation = this.explainer.explain(this.rules, facts);
    return {
      eligible,
      outcomes: explanation.outcomes,
      failures: explanation.failures,
      explanationAgrees: explanation.passed === eligible,
    };
  }
}

function factsNamedIn(condition: Condition): string[] {
  if (isLeaf(condition)) return [condition.fact];
  switch (groupKind(condition)) {
    case 'not':
      return factsNamedIn((condition as { not: Condition }).not);
    case 'all':
      return (condition as { all: Condition[] }).all.flatMap(factsNamedIn);
    case 'any':
      return (condition as { any: Condition[] }).any.flatMap(factsNamedIn);
  }
}

function compilePredicate(
  condition: Condition,
  evaluate: OperatorEvaluator,
): (facts: StudentFacts) => boolean {
  if (isLeaf(condition)) {
    const { fact, operator, value } = condition;
    return (facts) => evaluate(operator, facts[fact] ?? null, value);
  }
  switch (groupKind(condition)) {
    case 'not': {
      const child = compilePredicate((condition as { not: Condition }).not, evaluate);
      return (facts) => !child(facts);
    }
    case 'all': {
      const children = (condition as { all: Condition[] }).all.map((member) =>
        compilePredicate(member, evaluate),
      );
      return (facts) => children.every((child) => child(facts));
    }
    case 'any': {
      const children = (condition as { any: Condition[] }).any.map((member) =>
        compilePredicate(member, evaluate),
      );
      return (facts) => children.some((child) => child(facts));
    }
  }
}

interface LibraryOperator {
  evaluate(factValue: unknown, value: unknown): boolean;
}

/**
 * json-rules-engine's own operator implementations (`equal`, `in`, `greaterThanInclusive`, …, with
 * their fact-type guards), so a leaf's explained outcome is computed exactly as the engine computes it.
 */
export function libraryOperators(engine: Engine): OperatorEvaluator {
  const map = (engine as unknown as { operators?: { get?: (name: string) => LibraryOperator | null } })
    .operators;
  if (!map || typeof map.get !== 'function') {
    throw new Error(
      'this json-rules-engine version does not expose its operator map; the rule explainer needs it',
    );
  }
  const cache = new Map<string, LibraryOperator>();
  return (operator: string, factValue: FactValue, value: ScalarValue | ScalarValue[]) => {
    let implementation = cache.get(operator);
    if (!implementation) {
      const found = map.get!(operator);
      if (!found) throw new Error(`json-rules-engine has no operator "${operator}"`);
      implementation = found;
      cache.set(operator, implementation);
    }
    return implementation.evaluate(factValue, value);
  };
}
