import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventTypes } from '@scholarpay/contracts';
import { OutboxPublisher } from '@scholarpay/messaging';
import { SERVICE_CONFIG } from '@scholarpay/platform';
import { DataSource, EntityManager } from 'typeorm';
import { LedgerRepository } from '../ledger/ledger.repository';
import { commitPosting, programmeBalanceFrom } from '../ledger/ledger.rules';
import type { PaymentsConfig } from '../payments.config';
import { MobileMoneyClient, ProviderUnavailableError } from '../provider/mobile-money.client';
import { ReadModelRepository } from '../read-models/read-model.repository';
import { assertFundsCover, assertSecondPerson } from './batch-approval.rules';
import { awardsRevokedIn, ExclusionReason, ExclusionReasons, whyNotPayable } from './batch-composition.rules';
import { batchEventData } from './batch-events';
import { PayoutBatchErrors } from './payout-batch.errors';
import { CommitLine, NewExclusion, PayoutBatch, PayoutBatchRepository } from './payout-batch.repository';
import { nextBatchState } from './payout-batch.state-machine';
import { StartDisbursementUseCase } from './start-disbursement.use-case';

/**
 * A finance approver who did not prepare the batch approves it. The programme's remaining budget
 * (per the ledger) and the provider's available float must cover it; then the budget is committed
 * line by line, the approval is announced, and disbursement starts.
 */
@Injectable()
export class ApprovePayoutBatchUseCase {
  private readonly logger = new Logger(ApprovePayoutBatchUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly batches: PayoutBatchRepository,
    private readonly readModels: ReadModelRepository,
    private readonly ledger: LedgerRepository,
    private readonly provider: MobileMoneyClient,
    private readonly outbox: OutboxPublisher,
    private readonly startDisbursement: StartDisbursementUseCase,
    @Inject(SERVICE_CONFIG) private readonly config: PaymentsConfig,
  ) {}

  async execute(command: { batchId: string; actor: string; comment?: string }): Promise<void> {
    // Cheap checks first, so a refused approval costs no call to the provider.
    const current = await this.batches.findById(this.dataSource.manager, command.batchId);
    if (!current) throw PayoutBatchErrors.notFound(command.batchId);
    nextBatchState(current.state, 'approve');
    assertSecondPerson(command.actor, await this.batches.preparers(this.dataSource.manager, current.id), 'approve');

    await this.dataSource.transaction(async (manager) => {
      // Approvals take turns, across programmes: each must see the money the others approved
      // before it is measured against the one float they all draw on.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['payout-batch-approvals']);
      const batch = await this.batches.findById(manager, command.batchId, { lock: true });
      if (!batch) throw PayoutBatchErrors.notFound(command.batchId);
      const to = nextBatchState(batch.state, 'approve');
      assertSecondPerson(command.actor, await this.batches.preparers(manager, batch.id), 'approve');
      // Approvals of one programme take turns, so two cannot both spend the same remaining budget.
      await this.readModels.findProgramme(manager, batch.programmeId, { lock: true });
      const balance = programmeBalanceFrom(await this.ledger.programmeSums(manager, batch.programmeId));
      const lines = await this.releaseUnpayableLines(manager, batch, await this.batches.linesToCommit(manager, batch.id));
      if (lines.payable.length === 0) throw PayoutBatchErrors.nothingToPay(batch.month, lines.releasedByReason);
      const batchTotal = lines.payable.reduce((sum, line) => sum + line.amount, 0);
      // Other batches' unsent money first, then the float: a line sent in between is counted
      // twice (refusing a little early), never missed.
      const otherUnsentCommitments = await this.batches.unsentApprovedAmount(manager, batch.id);
      const float = await this.providerFloat();
      assertFundsCover({ batchTotal, remainingBudget: balance.remaining, providerAvailable: float.available, otherUnsentCommitments });
      await this.ledger.post(manager, lines.payable.map(commitPosting));
      const now = new Date();
      if (!(await this.batches.transition(manager, batch.id, batch.state, to, { approved_by: command.actor, approved_at: now }))) {
        throw PayoutBatchErrors.concurrentChange(batch.id);
      }
      // The poller's safety net: lines nobody has picked up by then are queued again.
      await this.batches.scheduleLines(manager, batch.id, new Date(now.getTime() + this.config.PAYMENTS_SEND_GRACE_MS));
      await this.batches.appendAudit(manager, batch.id, {
        action: 'approved',
        fromState: batch.state,
        toState: to,
        actor: command.actor,
        reason: command.comment ?? null,
        details: {
          lineCount: lines.payable.length,
          totalAmount: batchTotal,
          remainingBudgetBefore: balance.remaining,
          providerAvailable: float.available,
          ...(lines.released > 0 ? { releasedAtApproval: lines.released, releasedByReason: lines.releasedByReason } : {}),
        },
      });
      await this.outbox.publish(manager, {
        type: EventTypes.batchApproved,
        subject: batch.id,
        data: batchEventData(batch, command.actor, { reason: command.comment }),
      });
    });

    // After the commit. If this fails (or the process dies here), the boot-time resume and the
    // poller start the approved batch; nothing is lost.
    try {
      await this.startDisbursement.execute(command.batchId);
    } catch (error) {
      this.logger.error({ err: error, batchId: command.batchId }, 'approved batch not started yet; the poller will start it');
    }
  }

  /**
   * Lines whose award or student changed since the batch was prepared (suspended, revoked, ended,
   * student withdrawn) are not paid: released, listed as excluded with the reason, and the batch's
   * totals follow. Approval never adds a line, only takes away what must not be paid.
   */
  private async releaseUnpayableLines(
    manager: EntityManager,
    batch: PayoutBatch,
    lines: CommitLine[],
  ): Promise<{ payable: CommitLine[]; released: number; releasedByReason: Partial<Record<ExclusionReason, number>> }> {
    const now = await this.readModels.findAwardsWithPayees(manager, [...new Set(lines.map((line) => line.awardId))]);
    const laterAwards = await this.readModels.findAwardsAfterRevocation(manager, batch.month, awardsRevokedIn(batch.month, [...now.values()].map(({ award }) => award)));
    const payable: CommitLine[] = [];
    const exclusions: NewExclusion[] = [];
    const releasedByReason: Partial<Record<ExclusionReason, number>> = {};
    for (const line of lines) {
      const current = now.get(line.awardId);
      const why = current ? whyNotPayable(current.award, current.payee, batch.month, laterAwards.get(line.awardId)) : { reason: 'AWARD_ENDED' as const, detail: ExclusionReasons.AWARD_ENDED };
      if (!why) {
        payable.push(line);
        continue;
      }
      exclusions.push({ awardId: line.awardId, studentId: line.studentId, reason: why.reason, detail: `${why.detail} (line released at approval)` });
      releasedByReason[why.reason] = (releasedByReason[why.reason] ?? 0) + 1;
    }
    if (exclusions.length > 0) {
      const releasedIds = new Set(exclusions.map((exclusion) => exclusion.awardId));
      await this.batches.releaseLines(manager, batch.id, lines.filter((line) => releasedIds.has(line.awardId)).map((line) => line.id));
      await this.batches.addExclusions(manager, batch.id, exclusions);
      await this.batches.updateTotals(manager, batch.id, {
        lineCount: payable.length,
        totalAmount: payable.reduce((sum, line) => sum + line.amount, 0),
        excludedCount: batch.excludedCount + exclusions.length,
      });
    }
    return { payable, released: exclusions.length, releasedByReason };
  }

  /** The provider's available float, asked inside the approval (bounded by the client's timeout). */
  private async providerFloat(): Promise<{ available: number }> {
    try {
      return await this.provider.getBalance();
    } catch (error) {
      if (error instanceof ProviderUnavailableError) throw PayoutBatchErrors.providerUnavailable(error.message);
      throw error;
    }
  }
}
