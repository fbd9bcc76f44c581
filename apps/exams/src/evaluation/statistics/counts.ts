import { EvaluationInputError } from './statistics.errors';

/** Results of one group (recipients or non-recipients): how many sat the exam, how many passed. */
export interface GroupCounts {
  readonly n: number;
  readonly passed: number;
}

/** Recipients against non-recipients, the 2x2 table of one comparison. */
export interface TwoGroupCounts {
  readonly recipients: GroupCounts;
  readonly nonRecipients: GroupCounts;
}

/** One stratum (a school or a cohort) of a stratified comparison. */
export interface StratumCounts extends TwoGroupCounts {
  readonly label: string;
}

/**
 * The 2x2 table in the usual epidemiological layout: rows are groups, columns outcomes.
 *   a = recipients passed      b = recipients failed
 *   c = non-recipients passed  d = non-recipients failed
 */
export interface TwoByTwoTable {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
}

export function toTable(counts: TwoGroupCounts): TwoByTwoTable {
  return {
    a: counts.recipients.passed,
    b: counts.recipients.n - counts.recipients.passed,
    c: counts.nonRecipients.passed,
    d: counts.nonRecipients.n - counts.nonRecipients.passed,
  };
}

function checkCount(value: unknown, field: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new EvaluationInputError('EVALUATION.INVALID_COUNTS', field, 'must be a non-negative integer');
  }
}

/** Throws `EVALUATION.INVALID_COUNTS` naming the field (`where` prefixes it, e.g. `strata["A"].recipients`). */
export function validateGroupCounts(counts: GroupCounts, where: string): void {
  if (counts === null || typeof counts !== 'object') {
    throw new EvaluationInputError('EVALUATION.INVALID_COUNTS', where, 'must be an object with n and passed');
  }
  checkCount(counts.n, `${where}.n`);
  checkCount(counts.passed, `${where}.passed`);
  if (counts.passed > counts.n) {
    throw new EvaluationInputError(
      'EVALUATION.INVALID_COUNTS',
      `${where}.passed`,
      `must not exceed ${where}.n (${counts.passed} passed of ${counts.n})`,
    );
  }
}

export function validateTwoGroupCounts(counts: TwoGroupCounts, where = ''): void {
  const prefix = where ? `${where}.` : '';
  if (counts === null || typeof counts !== 'object') {
    throw new EvaluationInputError(
      'EVALUATION.INVALID_COUNTS',
      where || 'counts',
      'must be an object with recipients and nonRecipients',
    );
  }
  validateGroupCounts(counts.recipients, `${prefix}recipients`);
  validateGroupCounts(counts.nonRecipients, `${prefix}nonRecipients`);
}

/** How a stratum is named in error messages: by its label, which is what the user recognises. */
export function stratumPath(label: string): string {
  return `strata[${JSON.stringify(label)}]`;
}

export function validateStrata(strata: readonly StratumCounts[]): void {
  if (!Array.isArray(strata)) {
    throw new EvaluationInputError('EVALUATION.INVALID_COUNTS', 'strata', 'must be an array');
  }
  const seen = new Set<string>();
  strata.forEach((stratum, index) => {
    if (stratum === null || typeof stratum !== 'object' || typeof stratum.label !== 'string') {
      throw new EvaluationInputError(
        'EVALUATION.INVALID_COUNTS',
        `strata[${index}].label`,
        'must be a string',
      );
    }
    if (seen.has(stratum.label)) {
      throw new EvaluationInputError(
        'EVALUATION.INVALID_COUNTS',
        `${stratumPath(stratum.label)}.label`,
        'appears more than once; each stratum must be given once',
      );
    }
    seen.add(stratum.label);
    validateTwoGroupCounts(stratum, stratumPath(stratum.label));
  });
}
