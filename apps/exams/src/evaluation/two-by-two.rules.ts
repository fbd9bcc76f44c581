import type { StratumCounts } from './statistics';

/** Counts as an evaluator types them: passed of total, per group. */
export interface TypedGroupCounts {
  readonly passed: number;
  readonly total: number;
}

export interface TypedStratum {
  readonly name: string;
  readonly recipients: TypedGroupCounts;
  readonly nonRecipients: TypedGroupCounts;
}

export interface CountProblem {
  readonly field: string;
  readonly problem: string;
}

/**
 * Problems with typed-in counts the DTO cannot see (each count alone may be fine): more passes
 * than results, or two strata with the same name. Fields are named as in the request body.
 */
export function typedStrataProblems(strata: readonly TypedStratum[]): CountProblem[] {
  const problems: CountProblem[] = [];
  const firstIndexOfName = new Map<string, number>();
  strata.forEach((stratum, index) => {
    const name = stratum.name.trim();
    const earlier = firstIndexOfName.get(name);
    if (earlier !== undefined) {
      problems.push({
        field: `strata[${index}].name`,
        problem: `repeats the name of strata[${earlier}] ("${name}"); each stratum must be given once`,
      });
    } else {
      firstIndexOfName.set(name, index);
    }
    for (const group of ['recipients', 'nonRecipients'] as const) {
      const counts = stratum[group];
      if (counts.passed > counts.total) {
        problems.push({
          field: `strata[${index}].${group}.passed`,
          problem: `must not exceed strata[${index}].${group}.total (${counts.passed} passed of ${counts.total})`,
        });
      }
    }
  });
  return problems;
}

export function toStratumCounts(strata: readonly TypedStratum[]): StratumCounts[] {
  return strata.map((stratum) => ({
    label: stratum.name.trim(),
    recipients: { n: stratum.recipients.total, passed: stratum.recipients.passed },
    nonRecipients: { n: stratum.nonRecipients.total, passed: stratum.nonRecipients.passed },
  }));
}
