import type { RuleProblem } from './rule-set.validator';

/**
 * The order in which eligible students receive awards when they outnumber the places or the budget:
 * a list of criteria over student facts, e.g. `[{ "fact": "intakeYear", "direction": "asc" },
 * { "fact": "enrolledAt", "direction": "asc" }]`. Ties, and programmes without a ranking, fall back
 * to first come, first served: who became eligible first, then who enrolled first, then student id
 * (so the order is always total and repeatable).
 */
export const rankingFacts = ['intakeYear', 'enrolledAt', 'dateOfBirth', 'ageAtIntake'] as const;
export type RankingFact = (typeof rankingFacts)[number];
export type RankingDirection = 'asc' | 'desc';

export interface RankingCriterion {
  fact: RankingFact;
  direction: RankingDirection;
}

export type Ranking = RankingCriterion[];

export const maxRankingCriteria = 5;

/** SQL expressions over the student read model (alias `s`) for each ranking fact: a fixed list, never user text. */
const rankingExpressions: Record<RankingFact, string> = {
  intakeYear: 's.intake_year',
  enrolledAt: 's.enrolled_at',
  dateOfBirth: 's.date_of_birth',
  ageAtIntake: '(s.intake_year - extract(year from s.date_of_birth))',
};

export type RankingValidation =
  { ok: true; ranking: Ranking | null } | { ok: false; problems: RuleProblem[] };

export function validateRanking(input: unknown, path = 'ranking'): RankingValidation {
  if (input === null || input === undefined) return { ok: true, ranking: null };
  if (!Array.isArray(input)) {
    return {
      ok: false,
      problems: [{ field: path, problem: 'must be a list of { "fact", "direction" } criteria, or null' }],
    };
  }
  const problems: RuleProblem[] = [];
  if (input.length > maxRankingCriteria) {
    problems.push({
      field: path,
      problem: `has ${input.length} criteria; at most ${maxRankingCriteria} are allowed`,
    });
  }
  const seen = new Set<string>();
  const ranking: Ranking = [];
  input.forEach((criterion: unknown, index) => {
    const at = `${path}[${index}]`;
    if (typeof criterion !== 'object' || criterion === null || Array.isArray(criterion)) {
      problems.push({ field: at, problem: 'must be an object { "fact", "direction" }' });
      return;
    }
    const { fact, direction, ...rest } = criterion as Record<string, unknown>;
    for (const key of Object.keys(rest))
      problems.push({
        field: `${at}.${key}`,
        problem: 'is not a known property; a criterion has "fact" and "direction"',
      });
    if (typeof fact !== 'string' || !(rankingFacts as readonly string[]).includes(fact)) {
      problems.push({
        field: `${at}.fact`,
        problem: `unknown ranking fact ${JSON.stringify(fact)}; students can be ranked by ${rankingFacts.join(', ')}`,
      });
    } else if (seen.has(fact)) {
      problems.push({ field: `${at}.fact`, problem: `${fact} is already a criterion of this ranking` });
    } else {
      seen.add(fact);
    }
    if (direction !== 'asc' && direction !== 'desc') {
      problems.push({
        field: `${at}.direction`,
        problem: `must be "asc" or "desc", got ${JSON.stringify(direction)}`,
      });
    }
    if (typeof fact === 'string' && (direction === 'asc' || direction === 'desc')) {
      ranking.push({ fact: fact as RankingFact, direction });
    }
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, ranking: ranking.length > 0 ? ranking : null };
}

/**
 * The ORDER BY clause of the waiting list: the programme's criteria, then first come, first served.
 * `d` is the decision row (eligible_since), `s` the student read model.
 */
export function rankingOrderBy(ranking: Ranking | null): string {
  const criteria = (ranking ?? []).map(
    (criterion) =>
      `${rankingExpressions[criterion.fact]} ${criterion.direction === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`,
  );
  return [...criteria, 'd.eligible_since ASC', 's.enrolled_at ASC', 's.student_id ASC'].join(', ');
}

export function describeRanking(ranking: Ranking | null): string {
  const fallback = 'first eligible, then first enrolled';
  if (!ranking) return fallback;
  return `${ranking.map((criterion) => `${criterion.fact} ${criterion.direction === 'asc' ? 'ascending' : 'descending'}`).join(', ')}, then ${fallback}`;
}
