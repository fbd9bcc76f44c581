import type { LineStatus } from '../batches/payout-line.state-machine';
import { commitPosting, expectedLinePosition, fundingPosting, LedgerLine, PostingSpec, postingsForLineMove, programmeBalanceFrom } from './ledger.rules';

const line: LedgerLine = {
  id: '11111111-1111-4111-8111-111111111111',
  batchId: '22222222-2222-4222-8222-222222222222',
  programmeId: '33333333-3333-4333-8333-333333333333',
  studentId: '44444444-4444-4444-8444-444444444444',
  amount: 25000,
  month: '2015-03',
};

/** Applies postings (deduplicated by key, as the database does) and returns net balances by account type. */
function net(postings: PostingSpec[]): Record<string, number> {
  const seen = new Set<string>();
  const balances: Record<string, number> = {};
  for (const posting of postings) {
    if (seen.has(posting.key)) continue;
    seen.add(posting.key);
    balances[posting.from.type] = (balances[posting.from.type] ?? 0) - posting.amount;
    balances[posting.to.type] = (balances[posting.to.type] ?? 0) + posting.amount;
  }
  return Object.fromEntries(Object.entries(balances).filter(([, value]) => value !== 0));
}

function walk(path: LineStatus[], providerHasIt = true): PostingSpec[] {
  const postings = [commitPosting(line)];
  for (let index = 1; index < path.length; index++) postings.push(...postingsForLineMove(line, path[index - 1], path[index], providerHasIt));
  return postings;
}

describe('ledger posting rules', () => {
  it('every posting moves a positive amount between two different accounts (so it sums to zero)', () => {
    const all = [...walk(['PENDING', 'UNKNOWN', 'SUBMITTED', 'PAID']), ...walk(['PENDING', 'FAILED'], false), fundingPosting(line.programmeId, 1, 1000, 0)!];
    for (const posting of all) {
      expect(posting.amount).toBeGreaterThan(0);
      expect(posting.from.account).not.toBe(posting.to.account);
    }
  });

  it('paid: the money ends in provider_settled and out of the budget, whatever the path', () => {
    for (const path of [
      ['PENDING', 'SUBMITTED', 'PAID'],
      ['PENDING', 'UNKNOWN', 'PAID'],
      ['PENDING', 'UNKNOWN', 'SUBMITTED', 'PAID'],
      ['PENDING', 'PAID'],
    ] as LineStatus[][]) {
      expect(net(walk(path))).toEqual({ programme_budget: -25000, provider_settled: 25000 });
    }
  });

  it('failed: the money is back in the budget, whether it reached the provider or was refused outright', () => {
    expect(net(walk(['PENDING', 'SUBMITTED', 'FAILED']))).toEqual({});
    expect(net(walk(['PENDING', 'UNKNOWN', 'FAILED']))).toEqual({});
    expect(net(walk(['PENDING', 'FAILED'], true))).toEqual({});
    expect(net(walk(['PENDING', 'FAILED'], false))).toEqual({});
    expect(walk(['PENDING', 'FAILED'], false).map((p) => p.kind)).toEqual(['committed', 'reversed']);
  });

  it('in flight: sent to the provider and not final sits in provider_clearing', () => {
    expect(net(walk(['PENDING', 'SUBMITTED']))).toEqual({ programme_budget: -25000, provider_clearing: 25000 });
    expect(net(walk(['PENDING', 'UNKNOWN', 'SUBMITTED']))).toEqual({ programme_budget: -25000, provider_clearing: 25000 });
  });

  it('postings are keyed per line and kind, so a repeated move records nothing new', () => {
    const again = [...walk(['PENDING', 'SUBMITTED', 'PAID']), ...postingsForLineMove(line, 'PENDING', 'PAID', true)];
    expect(net(again)).toEqual({ programme_budget: -25000, provider_settled: 25000 });
    expect(postingsForLineMove(line, 'SUBMITTED', 'PAID', true).map((p) => p.key)).toEqual([`line:${line.id}:sent`, `line:${line.id}:settled`]);
  });

  it('the net position of every status matches expectedLinePosition', () => {
    const cases: [LineStatus[], LineStatus][] = [
      [['PENDING'], 'PENDING'],
      [['PENDING', 'SUBMITTED'], 'SUBMITTED'],
      [['PENDING', 'UNKNOWN'], 'UNKNOWN'],
      [['PENDING', 'SUBMITTED', 'PAID'], 'PAID'],
      [['PENDING', 'SUBMITTED', 'FAILED'], 'FAILED'],
    ];
    for (const [path, status] of cases) {
      const balances = net(walk(path));
      const expected = expectedLinePosition(status, 25000, true);
      expect({
        budget: balances.programme_budget ?? 0,
        payable: balances.student_payable ?? 0,
        clearing: balances.provider_clearing ?? 0,
        settled: balances.provider_settled ?? 0,
      }).toEqual(expected);
    }
    expect(expectedLinePosition('PENDING', 25000, false)).toEqual({ budget: 0, payable: 0, clearing: 0, settled: 0 });
  });

  it('funding follows the latest budget: increases and decreases post the difference', () => {
    expect(fundingPosting('p', 1, 1_000_000, 0)).toMatchObject({ key: 'programme:p:funding:v1', amount: 1_000_000, from: { type: 'programme_funding' }, to: { type: 'programme_budget' } });
    expect(fundingPosting('p', 2, 800_000, 1_000_000)).toMatchObject({ amount: 200_000, from: { type: 'programme_budget' }, to: { type: 'programme_funding' } });
    expect(fundingPosting('p', 3, 800_000, 800_000)).toBeNull();
  });

  it('programme balance: funded = remaining + committed + in flight + paid', () => {
    expect(programmeBalanceFrom({ programme_funding: -1000, programme_budget: 400, student_payable: 100, provider_clearing: 200, provider_settled: 300 })).toEqual({
      funded: 1000,
      remaining: 400,
      committed: 100,
      inFlight: 200,
      paid: 300,
      balanced: true,
    });
    expect(programmeBalanceFrom({ programme_funding: -1000, programme_budget: 900 }).balanced).toBe(false);
  });
});
