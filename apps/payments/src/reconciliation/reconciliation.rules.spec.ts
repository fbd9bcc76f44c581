import { LedgerLineView, reconcile, StatementItem } from './reconciliation.rules';

const line = (id: string, overrides: Partial<LedgerLineView> = {}): LedgerLineView => ({
  lineId: id,
  batchId: 'b1',
  status: 'PAID',
  amount: 25000,
  providerTransactionId: `MP-${id}`,
  sentAmount: 25000,
  settledAmount: 25000,
  reversedAmount: 0,
  ...overrides,
});
const item = (referenceId: string, overrides: Partial<StatementItem> = {}): StatementItem => ({
  transactionId: `MP-${referenceId}`,
  referenceId,
  status: 'SUCCESS',
  amount: 25000,
  createdAt: '2015-03-05T10:00:00Z',
  ...overrides,
});

describe('reconcile', () => {
  it('matches paid and failed lines with the provider, and counts in-flight ones apart', () => {
    const result = reconcile(
      [item('l1'), item('l2', { status: 'FAILED' }), item('l3', { status: 'PENDING' })],
      [line('l1'), line('l2', { status: 'FAILED', settledAmount: 0, reversedAmount: 25000 }), line('l3', { status: 'SUBMITTED', settledAmount: 0 })],
    );
    expect(result.counts).toMatchObject({ MATCHED: 2, IN_FLIGHT: 1, MISSING_IN_PROVIDER: 0, MISSING_IN_LEDGER: 0, AMOUNT_MISMATCH: 0, STATUS_MISMATCH: 0 });
  });

  it('reports a credit the provider made that we have no line for', () => {
    const result = reconcile([item('stranger')], []);
    expect(result.items).toEqual([expect.objectContaining({ kind: 'MISSING_IN_LEDGER', referenceId: 'stranger', lineId: null, providerAmount: 25000 })]);
  });

  it('reports a paid or accepted line the provider does not list', () => {
    const result = reconcile([], [line('l1'), line('l2', { status: 'SUBMITTED', settledAmount: 0 })]);
    expect(result.counts.MISSING_IN_PROVIDER).toBe(2);
  });

  it('reports amount differences between provider and line, and between provider and ledger', () => {
    const result = reconcile([item('l1', { amount: 30000 }), item('l2')], [line('l1'), line('l2', { settledAmount: 20000 })]);
    expect(result.items.map((entry) => entry.kind)).toEqual(['AMOUNT_MISMATCH', 'AMOUNT_MISMATCH']);
  });

  it('reports a success the line thinks failed, a failure the line thinks paid, and a paid line with no settlement posting', () => {
    const result = reconcile(
      [item('l1'), item('l2', { status: 'FAILED' }), item('l3')],
      [line('l1', { status: 'FAILED', settledAmount: 0 }), line('l2'), line('l3', { settledAmount: 0 })],
    );
    expect(result.items.map((entry) => [entry.referenceId, entry.kind])).toEqual([
      ['l1', 'STATUS_MISMATCH'],
      ['l2', 'STATUS_MISMATCH'],
      ['l3', 'MISSING_IN_LEDGER'],
    ]);
  });

  it('reports two provider transactions under one reference', () => {
    const result = reconcile([item('l1'), item('l1', { transactionId: 'MP-second' })], [line('l1')]);
    expect(result.counts.DUPLICATE_IN_PROVIDER).toBe(1);
  });

  it('a line refused outright (no provider transaction) matches nothing on either side; an UNKNOWN one absent at the provider is in flight', () => {
    const result = reconcile([], [line('l1', { status: 'FAILED', providerTransactionId: null, settledAmount: 0 }), line('l2', { status: 'UNKNOWN', settledAmount: 0 }), line('l3', { status: 'PENDING' })]);
    expect(result.counts).toMatchObject({ MATCHED: 1, IN_FLIGHT: 1 });
    expect(result.items).toHaveLength(2);
  });
});
