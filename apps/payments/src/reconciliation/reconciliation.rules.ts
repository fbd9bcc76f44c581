import type { LineStatus } from '../batches/payout-line.state-machine';

/**
 * Reconciliation compares the provider's statement with our lines and their ledger postings, one
 * reference (= line id) at a time. Pure: the use case gathers both sides.
 */
export const ReconciliationKinds = [
  'MATCHED',
  'IN_FLIGHT',
  'MISSING_IN_PROVIDER',
  'MISSING_IN_LEDGER',
  'AMOUNT_MISMATCH',
  'STATUS_MISMATCH',
  'DUPLICATE_IN_PROVIDER',
] as const;
export type ReconciliationKind = (typeof ReconciliationKinds)[number];

export interface StatementItem {
  transactionId: string;
  referenceId: string;
  status: 'PENDING' | 'SUCCESS' | 'FAILED';
  amount: number;
  createdAt: string;
}

export interface LedgerLineView {
  lineId: string;
  batchId: string;
  status: LineStatus;
  amount: number;
  providerTransactionId: string | null;
  /** Sums of this line's postings by kind (0 when absent). */
  sentAmount: number;
  settledAmount: number;
  reversedAmount: number;
}

export interface ReconciliationItem {
  kind: ReconciliationKind;
  referenceId: string;
  lineId: string | null;
  batchId: string | null;
  providerTransactionId: string | null;
  providerStatus: string | null;
  lineStatus: LineStatus | null;
  providerAmount: number | null;
  ledgerAmount: number | null;
  detail: string;
}

export interface ReconciliationResult {
  items: ReconciliationItem[];
  counts: Record<ReconciliationKind, number>;
}

/**
 * @param statement provider items in scope
 * @param lines our lines in scope, plus the lines any statement item refers to
 */
export function reconcile(statement: StatementItem[], lines: LedgerLineView[]): ReconciliationResult {
  const byReference = new Map<string, StatementItem[]>();
  for (const item of statement) {
    const list = byReference.get(item.referenceId) ?? [];
    list.push(item);
    byReference.set(item.referenceId, list);
  }
  const lineById = new Map(lines.map((line) => [line.lineId, line]));
  const items: ReconciliationItem[] = [];

  for (const [referenceId, provider] of byReference) {
    const line = lineById.get(referenceId);
    if (provider.length > 1) {
      items.push(item('DUPLICATE_IN_PROVIDER', referenceId, line, provider[0], `${provider.length} provider transactions carry this reference: ${provider.map((p) => `${p.transactionId} ${p.status}`).join(', ')}`));
      continue;
    }
    items.push(compare(referenceId, provider[0], line));
  }

  for (const line of lines) {
    if (byReference.has(line.lineId)) continue;
    const outcome = withoutProviderRecord(line);
    if (outcome) items.push(outcome);
  }

  const counts = Object.fromEntries(ReconciliationKinds.map((kind) => [kind, 0])) as Record<ReconciliationKind, number>;
  for (const entry of items) counts[entry.kind] += 1;
  return { items, counts };
}

function compare(referenceId: string, provider: StatementItem, line: LedgerLineView | undefined): ReconciliationItem {
  if (!line) {
    return item(
      'MISSING_IN_LEDGER',
      referenceId,
      undefined,
      provider,
      provider.status === 'SUCCESS'
        ? 'the provider credited a wallet under a reference we have no payout line for'
        : `the provider has a ${provider.status} cash-in under a reference we have no payout line for`,
    );
  }
  if (provider.amount !== line.amount) {
    return item('AMOUNT_MISMATCH', referenceId, line, provider, `the provider's amount ${provider.amount} differs from the line's ${line.amount}`);
  }
  switch (provider.status) {
    case 'SUCCESS':
      if (line.status !== 'PAID') {
        return item('STATUS_MISMATCH', referenceId, line, provider, `the provider credited the wallet but the line is ${line.status}`);
      }
      if (line.settledAmount === 0) {
        return item('MISSING_IN_LEDGER', referenceId, line, provider, 'the line is paid but the ledger has no settlement posting for it');
      }
      if (line.settledAmount !== provider.amount) {
        return item('AMOUNT_MISMATCH', referenceId, line, provider, `the ledger settled ${line.settledAmount} but the provider credited ${provider.amount}`);
      }
      return item('MATCHED', referenceId, line, provider, 'paid on both sides');
    case 'FAILED':
      if (line.status !== 'FAILED') {
        return item('STATUS_MISMATCH', referenceId, line, provider, `the provider failed the cash-in but the line is ${line.status}`);
      }
      if (line.settledAmount !== 0) {
        return item('STATUS_MISMATCH', referenceId, line, provider, 'the provider failed the cash-in but the ledger settled it');
      }
      return item('MATCHED', referenceId, line, provider, 'failed on both sides');
    case 'PENDING':
      if (line.status === 'SUBMITTED' || line.status === 'UNKNOWN') {
        return item('IN_FLIGHT', referenceId, line, provider, 'pending at the provider');
      }
      return item('STATUS_MISMATCH', referenceId, line, provider, `the provider still has the cash-in pending but the line is ${line.status}`);
  }
}

function withoutProviderRecord(line: LedgerLineView): ReconciliationItem | null {
  switch (line.status) {
    case 'PENDING':
    case 'RELEASED':
      return null;
    case 'UNKNOWN':
      return item('IN_FLIGHT', line.lineId, line, undefined, 'the send was ambiguous and the provider has no record yet');
    case 'FAILED':
      if (!line.providerTransactionId) {
        return item('MATCHED', line.lineId, line, undefined, 'refused by the provider: nothing sent on either side');
      }
      return item('MISSING_IN_PROVIDER', line.lineId, line, undefined, 'the line failed with a provider transaction the statement does not list');
    case 'SUBMITTED':
      return item('MISSING_IN_PROVIDER', line.lineId, line, undefined, 'the provider accepted the cash-in but its statement does not list it');
    case 'PAID':
      return item('MISSING_IN_PROVIDER', line.lineId, line, undefined, 'the line is paid but the provider statement has no such credit');
  }
}

function item(
  kind: ReconciliationKind,
  referenceId: string,
  line: LedgerLineView | undefined,
  provider: StatementItem | undefined,
  detail: string,
): ReconciliationItem {
  return {
    kind,
    referenceId,
    lineId: line?.lineId ?? null,
    batchId: line?.batchId ?? null,
    providerTransactionId: provider?.transactionId ?? line?.providerTransactionId ?? null,
    providerStatus: provider?.status ?? null,
    lineStatus: line?.status ?? null,
    providerAmount: provider?.amount ?? null,
    ledgerAmount: line ? (line.status === 'PAID' ? line.settledAmount : line.amount) : null,
    detail,
  };
}
