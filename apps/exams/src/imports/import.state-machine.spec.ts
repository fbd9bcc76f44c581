import { canTransition, IMPORT_TRANSITIONS, isFinal, type ImportStatus } from './import.state-machine';

describe('import state machine', () => {
  it('allows exactly the transitions of its table', () => {
    const statuses = Object.keys(IMPORT_TRANSITIONS) as ImportStatus[];
    const allowed = statuses.flatMap((from) =>
      statuses.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`),
    );
    expect(allowed).toEqual([
      'queued→processing',
      'queued→failed',
      'processing→processing',
      'processing→completed',
      'processing→failed',
    ]);
  });

  it('treats completed and failed as final', () => {
    expect(isFinal('completed')).toBe(true);
    expect(isFinal('failed')).toBe(true);
    expect(isFinal('queued')).toBe(false);
    expect(isFinal('processing')).toBe(false);
  });
});
