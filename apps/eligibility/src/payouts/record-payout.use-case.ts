import { Injectable, Logger } from '@nestjs/common';
import type { EventEnvelope } from '@scholarpay/contracts';
import { UnprocessableEventError } from '@scholarpay/messaging';
import { MetricsService } from '@scholarpay/platform';
import type { EntityManager } from 'typeorm';
import { AwardCapacity } from '../awards/award-capacity';
import { AwardRepository } from '../awards/award.repository';
import { ProgrammeRepository } from '../programmes/programme.repository';
import { compareMonths } from '../programmes/year-month';

/** What eligibility reads of payments' `payout.succeeded` (validated against the contract first). */
export interface PayoutSucceeded {
  payoutId: string;
  programmeId: string;
  awardId: string;
  studentId: string;
  month: string;
  amount: number;
  completedAt: string;
}

/**
 * Records that payments paid an award for a month. A revoked award keeps committing every month
 * paid, so a place freed by a revocation never comes with money already paid out; when the month
 * lies beyond what the revoked award still committed (a batch approved before the revocation reached
 * payments), its commitment grows: the money is out, and the budget must show it, even past its end
 * (logged and counted). Runs in the inbox's transaction, under the programme's lock like every
 * writer of the programme's awards and money.
 */
@Injectable()
export class RecordPayoutUseCase {
  private readonly logger = new Logger(RecordPayoutUseCase.name);
  private readonly recorded;
  private readonly beyondBudget;

  constructor(
    private readonly programmes: ProgrammeRepository,
    private readonly awards: AwardRepository,
    metrics: MetricsService,
  ) {
    this.recorded = metrics.counter(
      'eligibility_payouts_recorded_total',
      "Payments' successful payouts recorded against awards, by outcome",
      ['outcome'],
    );
    this.beyondBudget = metrics.counter(
      'eligibility_payouts_beyond_budget_total',
      "Payouts of a revoked award's month it no longer committed that took its programme past the budget",
    );
  }

  async execute(event: EventEnvelope<PayoutSucceeded>, manager: EntityManager): Promise<void> {
    const payout = event.data;
    const programme = await this.programmes.lock(manager, payout.programmeId);
    if (!programme)
      throw new UnprocessableEventError(`programme ${payout.programmeId} is not known to eligibility`);
    const award = await this.awards.lockById(manager, payout.awardId);
    if (!award || award.programmeId !== payout.programmeId || award.studentId !== payout.studentId) {
      throw new UnprocessableEventError(
        `award ${payout.awardId} of student ${payout.studentId} is not an award of programme ${payout.programmeId}`,
      );
    }
    if (
      compareMonths(payout.month, award.firstMonth) < 0 ||
      compareMonths(payout.month, award.lastMonth) > 0
    ) {
      throw new UnprocessableEventError(
        `month ${payout.month} is not one of award ${award.awardId}'s months (${award.firstMonth} to ${award.lastMonth})`,
      );
    }
    const recorded = await this.awards.recordPaidMonth(manager, {
      awardId: award.awardId,
      month: payout.month,
      payoutId: payout.payoutId,
      amount: payout.amount,
      paidAt: new Date(payout.completedAt),
      eventId: event.id,
    });
    if (!recorded) {
      const held = await this.awards.paidMonth(manager, award.awardId, payout.month);
      if (held?.payoutId !== payout.payoutId) {
        // Payments pays one line per award and month; a second payout of one month is its bug to see.
        this.logger.error(
          {
            awardId: award.awardId,
            month: payout.month,
            payoutId: payout.payoutId,
            recordedPayoutId: held?.payoutId,
          },
          'a second payout for a month already paid; the first is kept',
        );
      }
      this.recorded.inc({ outcome: 'already_recorded' });
      return;
    }
    const next = AwardCapacity.afterPayout(award, payout.month);
    await this.awards.recordPayment(manager, { awardId: award.awardId, ...next });
    const grown = next.committedAmount - award.committedAmount;
    if (grown <= 0) {
      this.recorded.inc({ outcome: 'recorded' });
      return;
    }
    await this.programmes.adjustCommitments(manager, programme, 0, grown, { moneyAlreadyOut: true });
    this.recorded.inc({ outcome: 'commitment_grown' });
    const context = {
      programmeId: programme.programmeId,
      awardId: award.awardId,
      month: payout.month,
      grownBy: grown,
      committedAmount: programme.committedAmount,
      budget: programme.budget,
    };
    if (programme.committedAmount > programme.budget) {
      this.beyondBudget.inc();
      this.logger.error(
        context,
        'a revoked award was paid for a month it no longer committed: the programme is over its budget',
      );
    } else {
      this.logger.warn(
        context,
        'a revoked award was paid for a month it no longer committed: its commitment grows',
      );
    }
  }
}
