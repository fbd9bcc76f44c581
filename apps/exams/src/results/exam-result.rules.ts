import type { ScoreScale } from '../sessions/exam-session.entity';

/** The values a result holds; what a revision records. */
export interface ResultValues {
  readonly passed: boolean;
  readonly score: number | null;
}

/** The current state of a result as the recording rules need it. */
export interface CurrentResult extends ResultValues {
  readonly revision: number;
}

export interface IncomingResult extends ResultValues {
  /** Why the result changes; required to correct an existing result. */
  readonly reason: string | null;
  /** From a CSV import: the values an earlier row of the same import gave this student, if any. */
  readonly earlierInImport: ResultValues | null;
}

export type RecordingDecision =
  | { readonly kind: 'create'; readonly revision: 1 }
  | { readonly kind: 'unchanged'; readonly revision: number }
  | { readonly kind: 'correct'; readonly revision: number }
  | { readonly kind: 'reason_required'; readonly revision: number }
  | { readonly kind: 'conflicting_duplicate'; readonly revision: number }
  | { readonly kind: 'stale_revision'; readonly revision: number };

export function sameValues(x: ResultValues, y: ResultValues): boolean {
  return x.passed === y.passed && x.score === y.score;
}

/**
 * What recording `incoming` does to a student's result in a session. The same values again change
 * nothing (a re-sent form or re-uploaded file is harmless); different values are a correction,
 * which must say why, and keep the earlier revision in the history. Within one import a student
 * listed twice with different results is a conflict the evaluator must resolve, not a correction,
 * whatever the result held before the import; listed twice alike, the repeat changes nothing.
 * `expectedRevision`, when given, guards against correcting a result someone else just changed.
 */
export function decideRecording(
  existing: CurrentResult | null,
  incoming: IncomingResult,
  expectedRevision: number | null = null,
): RecordingDecision {
  if (existing === null) return { kind: 'create', revision: 1 };
  if (expectedRevision !== null && expectedRevision !== existing.revision) {
    return { kind: 'stale_revision', revision: existing.revision };
  }
  if (incoming.earlierInImport !== null) {
    // Compared with the earlier row, not the result: that row may have left the result as it was.
    return sameValues(incoming.earlierInImport, incoming)
      ? { kind: 'unchanged', revision: existing.revision }
      : { kind: 'conflicting_duplicate', revision: existing.revision };
  }
  if (sameValues(existing, incoming)) return { kind: 'unchanged', revision: existing.revision };
  if (incoming.reason === null || incoming.reason.trim() === '') {
    return { kind: 'reason_required', revision: existing.revision };
  }
  return { kind: 'correct', revision: existing.revision + 1 };
}

/** A score problem in words, or null when the score is acceptable for the session's scale. */
export function scoreProblem(score: number | null, scale: ScoreScale): string | null {
  if (score === null) return null;
  if (typeof score !== 'number' || !Number.isFinite(score)) return 'must be a number';
  if (score < 0 || score > scale)
    return `must be between 0 and ${scale} (this session scores out of ${scale})`;
  // Hundredths within floating-point noise (0.1 + 0.2) are fine; 12.345 is not.
  if (Math.abs(score * 100 - Math.round(score * 100)) > 1e-6) {
    return 'must have at most two decimals';
  }
  return null;
}

/** Scores are stored with two decimals; normalise so 12.5 and 12.50 compare equal. */
export function normaliseScore(score: number | null): number | null {
  return score === null ? null : Math.round(score * 100) / 100;
}

/** National ids are compared upper case without spaces, dots or dashes ("ML 123-456" = "ml123456"). */
export function normaliseNationalId(value: string): string {
  return value.replace(/[\s.\-_/]/g, '').toUpperCase();
}
