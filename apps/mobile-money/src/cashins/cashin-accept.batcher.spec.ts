import { CashinAcceptBatcher } from './cashin-accept.batcher';
import type { CashinRepository, NewCashin } from './cashin.repository';
import type { CashinRecord } from './transaction.presenter';

const cashin = (referenceId: string, amount = 1_000): NewCashin => ({
  transactionId: `CI-${referenceId}`,
  referenceId,
  payloadHash: 'h',
  msisdn: '+22376000001',
  amount,
  merchantReference: 'r',
  description: null,
  callbackUrl: null,
  clientId: 'merchant',
  processingDelayMs: 0,
  callbackPlan: null,
  floatShard: 0,
});
const record = (input: NewCashin) =>
  ({ transactionId: input.transactionId, referenceId: input.referenceId }) as CashinRecord;

/** A repository double that records the batches it is given; amount 13 stands for a row the database refuses. */
class RecordingRepository {
  readonly batches: string[][] = [];
  readonly singles: string[] = [];
  readonly taken = new Set<string>();

  async insertManyIfNewAndReserve(cashins: NewCashin[]) {
    this.batches.push(cashins.map((entry) => entry.referenceId));
    if (cashins.some((entry) => entry.amount === 13)) throw new Error('check constraint violated');
    return new Map(
      cashins
        .filter((entry) => !this.taken.has(entry.referenceId))
        .map((entry) => [entry.referenceId, { record: record(entry), held: true }]),
    );
  }

  async insertIfNewAndReserve(entry: NewCashin) {
    this.singles.push(entry.referenceId);
    if (entry.amount === 13) throw new Error('check constraint violated');
    return { record: record(entry), held: true };
  }
}

describe('CashinAcceptBatcher', () => {
  it('writes the cash-ins submitted together in one batch', async () => {
    const repository = new RecordingRepository();
    const batcher = new CashinAcceptBatcher(repository as unknown as CashinRepository);
    const outcomes = await Promise.all(['a', 'b', 'c'].map((id) => batcher.submit(cashin(id))));
    expect(repository.batches).toEqual([['a', 'b', 'c']]);
    expect(outcomes.map((outcome) => outcome?.record.referenceId)).toEqual(['a', 'b', 'c']);
  });

  it('writes what arrives during a batch in the next one', async () => {
    const repository = new RecordingRepository();
    const batcher = new CashinAcceptBatcher(repository as unknown as CashinRepository);
    const first = batcher.submit(cashin('a'));
    await new Promise((resolve) => setImmediate(resolve));
    const second = Promise.all([batcher.submit(cashin('b')), batcher.submit(cashin('c'))]);
    await Promise.all([first, second]);
    expect(repository.batches).toEqual([['a'], ['b', 'c']]);
  });

  it('answers a reference repeated within a batch, and one already taken, as duplicates', async () => {
    const repository = new RecordingRepository();
    repository.taken.add('old');
    const batcher = new CashinAcceptBatcher(repository as unknown as CashinRepository);
    const [a, again, old] = await Promise.all([
      batcher.submit(cashin('a')),
      batcher.submit(cashin('a')),
      batcher.submit(cashin('old')),
    ]);
    expect(repository.batches).toEqual([['a', 'old']]);
    expect(a?.record.referenceId).toBe('a');
    expect(again).toBeNull();
    expect(old).toBeNull();
  });

  it('retries a failed batch one by one, so only the bad cash-in fails', async () => {
    const repository = new RecordingRepository();
    const batcher = new CashinAcceptBatcher(repository as unknown as CashinRepository);
    const results = await Promise.allSettled([
      batcher.submit(cashin('a')),
      batcher.submit(cashin('bad', 13)),
      batcher.submit(cashin('c')),
    ]);
    expect(repository.singles).toEqual(['a', 'bad', 'c']);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
