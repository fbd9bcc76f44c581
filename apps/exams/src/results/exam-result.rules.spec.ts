import { decideRecording, normaliseNationalId, normaliseScore, scoreProblem } from './exam-result.rules';

const current = { passed: true, score: 12.5, revision: 2 };

describe('decideRecording', () => {
  it('creates revision 1 when the student has no result yet', () => {
    expect(
      decideRecording(null, { passed: false, score: null, reason: null, earlierInImport: null }),
    ).toEqual({
      kind: 'create',
      revision: 1,
    });
  });

  it('changes nothing when the same values are recorded again', () => {
    expect(
      decideRecording(current, { passed: true, score: 12.5, reason: null, earlierInImport: null }),
    ).toEqual({
      kind: 'unchanged',
      revision: 2,
    });
  });

  it('treats a different score as a change', () => {
    expect(
      decideRecording(current, { passed: true, score: 13, reason: 'typo', earlierInImport: null }).kind,
    ).toBe('correct');
    expect(
      decideRecording(current, { passed: true, score: null, reason: 'typo', earlierInImport: null }).kind,
    ).toBe('correct');
  });

  it('requires a reason to correct', () => {
    expect(
      decideRecording(current, { passed: false, score: 12.5, reason: null, earlierInImport: null }),
    ).toEqual({
      kind: 'reason_required',
      revision: 2,
    });
    expect(
      decideRecording(current, { passed: false, score: 12.5, reason: '   ', earlierInImport: null }).kind,
    ).toBe('reason_required');
  });

  it('corrects to the next revision with a reason', () => {
    expect(
      decideRecording(current, { passed: false, score: 8, reason: 'jury decision', earlierInImport: null }),
    ).toEqual({
      kind: 'correct',
      revision: 3,
    });
  });

  it('flags a student listed twice in one import with different results', () => {
    const earlierRow = { passed: true, score: 12.5 };
    expect(
      decideRecording(current, { passed: false, score: 8, reason: 'import', earlierInImport: earlierRow })
        .kind,
    ).toBe('conflicting_duplicate');
    expect(
      decideRecording(current, { passed: true, score: 12.5, reason: 'import', earlierInImport: earlierRow })
        .kind,
    ).toBe('unchanged');
  });

  it('refuses the second row of an import whatever the result held before the import', () => {
    // The first row left the typed-in "fail, 8" as it was; a second row saying "pass, 15" is still
    // a conflict within the file, not a correction of the typed-in result.
    const typedIn = { passed: false, score: 8, revision: 1 };
    const firstRow = { passed: false, score: 8 };
    expect(
      decideRecording(typedIn, { passed: true, score: 15, reason: 'import', earlierInImport: firstRow }),
    ).toEqual({ kind: 'conflicting_duplicate', revision: 1 });
  });

  it('leaves a repeated identical row alone even if the result changed since the first row', () => {
    // Someone corrected the result by hand between two batches: repeating the file's row must not undo it.
    const correctedByHand = { passed: true, score: 11, revision: 3 };
    const firstRow = { passed: false, score: 8 };
    expect(
      decideRecording(correctedByHand, {
        passed: false,
        score: 8,
        reason: 'import',
        earlierInImport: firstRow,
      }),
    ).toEqual({ kind: 'unchanged', revision: 3 });
  });

  it('refuses a correction based on an older revision', () => {
    expect(
      decideRecording(current, { passed: false, score: 8, reason: 'x', earlierInImport: null }, 1),
    ).toEqual({
      kind: 'stale_revision',
      revision: 2,
    });
    expect(
      decideRecording(current, { passed: false, score: 8, reason: 'x', earlierInImport: null }, 2).kind,
    ).toBe('correct');
  });
});

describe('scoreProblem', () => {
  it('accepts no score and scores within the scale', () => {
    expect(scoreProblem(null, 20)).toBeNull();
    expect(scoreProblem(0, 20)).toBeNull();
    expect(scoreProblem(20, 20)).toBeNull();
    expect(scoreProblem(12.25, 20)).toBeNull();
    expect(scoreProblem(87.5, 100)).toBeNull();
    expect(scoreProblem(0.1 + 0.2, 20)).toBeNull();
  });

  it('names the scale when the score is out of range', () => {
    expect(scoreProblem(21, 20)).toBe('must be between 0 and 20 (this session scores out of 20)');
    expect(scoreProblem(-1, 100)).toBe('must be between 0 and 100 (this session scores out of 100)');
  });

  it('refuses more than two decimals and non-finite numbers', () => {
    expect(scoreProblem(12.345, 20)).toBe('must have at most two decimals');
    expect(scoreProblem(Number.NaN, 20)).toBe('must be a number');
  });
});

describe('normalisation', () => {
  it('rounds scores to two decimals', () => {
    expect(normaliseScore(0.1 + 0.2)).toBe(0.3);
    expect(normaliseScore(null)).toBeNull();
  });

  it('compares national ids without case, spaces or separators', () => {
    expect(normaliseNationalId(' ml 123-456.78 ')).toBe('ML12345678');
  });
});
