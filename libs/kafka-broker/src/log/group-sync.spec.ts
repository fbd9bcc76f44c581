import { GroupSync } from './group-sync';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('group commit (GroupSync)', () => {
  it('answers every caller of one event-loop turn with one sync', async () => {
    const done: Array<(err: Error | null) => void> = [];
    const g = new GroupSync((cb) => void done.push(cb));
    const all = Promise.all([g.request(), g.request(), g.request()]);
    await turn();
    expect(done).toHaveLength(1);
    done[0](null);
    await all;
  });

  it('starts a second sync while one runs, never more than the limit', async () => {
    const done: Array<(err: Error | null) => void> = [];
    const g = new GroupSync((cb) => void done.push(cb), 2);
    const a = g.request();
    await turn();
    const b = g.request();
    await turn();
    const c = g.request();
    await turn();
    expect(done).toHaveLength(2); // c waits for a free slot
    done[0](null);
    await a;
    await turn();
    expect(done).toHaveLength(3);
    done[1](null);
    done[2](null);
    await Promise.all([b, c]);
  });

  it('passes a sync failure to its callers only, and fails waiters on close', async () => {
    const done: Array<(err: Error | null) => void> = [];
    const g = new GroupSync((cb) => void done.push(cb), 1);
    const a = g.request();
    await turn();
    const b = g.request();
    done[0](new Error('EIO'));
    await expect(a).rejects.toThrow('EIO');
    g.close(new Error('closed'));
    await expect(b).rejects.toThrow('closed');
    await expect(g.request()).rejects.toThrow('closed');
  });
});
