import { AppError } from '@scholarpay/platform';
import type { ExclusionReason } from './batch-composition.rules';

/** Errors of the payout-batch module, with stable codes clients may branch on. */
export const PayoutBatchErrors = {
  notFound: (batchId: string) => AppError.notFound('PAYOUT_BATCH.NOT_FOUND', `no payout batch ${batchId}`, { batchId }),
  unknownProgramme: (programmeId: string) =>
    new AppError('unprocessable', 'PAYOUT_BATCH.UNKNOWN_PROGRAMME', `programme ${programmeId} is not known to payments (no programme event received)`, { programmeId }, [
      { field: 'programmeId', problem: 'is not a known programme' },
    ]),
  monthOutsideProgramme: (month: string, programme: { code: string; firstMonth: string; lastMonth: string }) =>
    new AppError(
      'unprocessable',
      'PAYOUT_BATCH.MONTH_OUTSIDE_PROGRAMME',
      `programme ${programme.code} pays stipends from ${programme.firstMonth} to ${programme.lastMonth}; ${month} is outside`,
      { month, firstMonth: programme.firstMonth, lastMonth: programme.lastMonth },
      [{ field: 'month', problem: `must be between ${programme.firstMonth} and ${programme.lastMonth}` }],
    ),
  nothingToPay: (month: string, excludedByReason: Partial<Record<ExclusionReason, number>>) =>
    AppError.unprocessable(
      'PAYOUT_BATCH.NOTHING_TO_PAY',
      `no award of this programme can be paid for ${month}` +
        (Object.keys(excludedByReason).length
          ? `: ${Object.entries(excludedByReason).map(([reason, count]) => `${count} ${reason}`).join(', ')}`
          : ': no award covers the month'),
      { month, excludedByReason },
    ),
  concurrentChange: (batchId: string) =>
    AppError.conflict('PAYOUT_BATCH.CONCURRENT_CHANGE', `batch ${batchId} was changed by someone else at the same time; reload it and try again`, { batchId }),
  lineSlotTaken: () =>
    AppError.conflict(
      'PAYOUT_BATCH.LINE_ALREADY_IN_BATCH',
      'another batch took one of these students for the same month at the same time; create the batch again to see what is left',
    ),
  providerUnavailable: (message: string) =>
    new AppError('unavailable', 'PAYOUT_BATCH.PROVIDER_UNAVAILABLE', `the mobile-money provider could not tell its available float: ${message}; try again shortly`),
};
