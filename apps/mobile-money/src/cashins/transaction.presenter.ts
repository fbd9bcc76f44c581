import { cashinReasonText, CashinReasonCode } from './cashin-reasons';
import type { CashinStatus } from './cashin.state-machine';

/** A cash-in as stored (snake_case columns mapped by CashinRepository). */
export interface CashinRecord {
  id: number;
  transactionId: string;
  referenceId: string;
  payloadHash: string;
  msisdn: string;
  amount: number;
  merchantReference: string;
  description: string | null;
  callbackUrl: string | null;
  clientId: string;
  status: CashinStatus;
  reasonCode: CashinReasonCode | null;
  createdAt: Date;
  completedAt: Date | null;
  statusVisibleAt: Date | null;
}

/** The provider's `Transaction` JSON. */
export interface TransactionView {
  transactionId: string;
  referenceId: string;
  status: CashinStatus;
  reasonCode: CashinReasonCode | null;
  reason: string | null;
  customer: { idType: 'MSISDN'; id: string };
  amount: { value: number; unit: 'XOF' };
  reference: string;
  description: string | null;
  createdAt: string;
  completedAt: string | null;
}

/** The transaction as it truly is (callbacks, statement). */
export function presentTransaction(record: CashinRecord): TransactionView {
  return {
    transactionId: record.transactionId,
    referenceId: record.referenceId,
    status: record.status,
    reasonCode: record.reasonCode,
    reason: record.reasonCode ? cashinReasonText[record.reasonCode] : null,
    customer: { idType: 'MSISDN', id: record.msisdn },
    amount: { value: record.amount, unit: 'XOF' },
    reference: record.merchantReference,
    description: record.description,
    createdAt: record.createdAt.toISOString(),
    completedAt: record.completedAt ? record.completedAt.toISOString() : null,
  };
}

/**
 * The transaction as the status query shows it at `nowMs`: a final state whose visibility is
 * delayed (the "early callback" fault) still reads PENDING until then.
 */
export function presentVisibleTransaction(record: CashinRecord, nowMs: number): TransactionView {
  if (record.status !== 'PENDING' && record.statusVisibleAt && record.statusVisibleAt.getTime() > nowMs) {
    return presentTransaction({ ...record, status: 'PENDING', reasonCode: null, completedAt: null });
  }
  return presentTransaction(record);
}
