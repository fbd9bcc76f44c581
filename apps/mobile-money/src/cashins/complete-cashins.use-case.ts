import { Inject, Injectable } from '@nestjs/common';
import { MetricsService } from '@scholarpay/platform';
import { DataSource, EntityManager } from 'typeorm';
import { CallbackDeliveryRepository, NewCallback } from '../callbacks/callback-delivery.repository';
import { MOBILE_MONEY_CONFIG } from '../config/mobile-money.config';
import type { MobileMoneyConfig } from '../config/mobile-money.config';
import { homeShard } from '../wallets/float-shards';
import { KycLevel, WalletLimits, walletLimitsFrom } from '../wallets/kyc-limits';
import { MerchantFloatRepository } from '../wallets/merchant-float.repository';
import { SubscriberRepository } from '../wallets/subscriber.repository';
import { CashinRepository, CompletedCashin, DueCashin } from './cashin.repository';
import { decideCashin, WalletState } from './cashin.rules';
import { assertCashinTransition } from './cashin.state-machine';
import { presentTransaction } from './transaction.presenter';

export interface CompletionResult {
  completed: number;
  /** Delay of the soonest callback queued, if any. */
  callbackDelayMs: number | null;
}

/**
 * Completes due pending cash-ins, a batch per transaction: locks the cash-ins (SKIP LOCKED, so
 * several workers share the queue), then the payee wallets (in msisdn order), decides each outcome
 * with the pure rules, credits the wallets, queues the callbacks, and settles the float shards
 * (debit what was paid, release what was held), all or nothing. A crash anywhere leaves the batch PENDING for the
 * next pass: nothing is credited twice and nothing is lost.
 */
@Injectable()
export class CompleteCashinsUseCase {
  private readonly limits: WalletLimits;
  private readonly outcomes;

  constructor(
    @Inject(MOBILE_MONEY_CONFIG) private readonly config: MobileMoneyConfig,
    private readonly dataSource: DataSource,
    private readonly cashins: CashinRepository,
    private readonly subscribers: SubscriberRepository,
    private readonly float: MerchantFloatRepository,
    private readonly callbacks: CallbackDeliveryRepository,
    metrics: MetricsService,
  ) {
    this.limits = walletLimitsFrom(config);
    this.outcomes = metrics.counter(
      'mobile_money_cashins_completed_total',
      'Cash-ins completed by status and reason',
      ['status', 'reason'],
    );
  }

  async execute(batchSize: number): Promise<CompletionResult> {
    const result = await this.dataSource.transaction('READ COMMITTED', async (manager) => {
      const locked = await this.cashins.lockDueBatch(manager, batchSize);
      const { today } = locked;
      if (locked.due.length === 0) return { completed: [], callbackDelayMs: null, records: [] };
      const msisdns = [...new Set(locked.due.map((cashin) => cashin.msisdn))];
      if (this.config.MOBILE_MONEY_AUTO_CREATE_SUBSCRIBERS) {
        await this.subscribers.createMissing(
          manager,
          msisdns,
          this.config.MOBILE_MONEY_AUTO_CREATE_KYC_LEVEL as KycLevel,
        );
      }
      const wallets: Map<string, WalletState> = await this.subscribers.lockWallets(manager, msisdns);
      const due = await this.reserveForUnheld(manager, locked.due);

      const completed: CompletedCashin[] = [];
      const credits = new Map<string, number>();
      const perShard = new Map<number, { debit: number; released: number }>();
      for (const cashin of due) {
        const outcome = decideCashin(
          wallets.get(cashin.msisdn) ?? null,
          { amount: cashin.amount, floatHeld: cashin.hold !== null, today },
          this.limits,
        );
        assertCashinTransition(cashin.status, outcome.status);
        if (outcome.status === 'SUCCESS') {
          wallets.set(cashin.msisdn, outcome.wallet);
          credits.set(cashin.msisdn, (credits.get(cashin.msisdn) ?? 0) + cashin.amount);
        }
        if (cashin.hold) {
          const shard = perShard.get(cashin.hold.shard) ?? { debit: 0, released: 0 };
          shard.released += cashin.hold.amount;
          // A success pays exactly what was held for it.
          if (outcome.status === 'SUCCESS') shard.debit += cashin.hold.amount;
          perShard.set(cashin.hold.shard, shard);
        }
        const early =
          cashin.callbackUrl && cashin.callbackPlan?.early === 'final'
            ? cashin.callbackPlan.earlyLagMs
            : null;
        completed.push({
          id: cashin.id,
          status: outcome.status,
          reasonCode: outcome.status === 'FAILED' ? outcome.reasonCode : null,
          statusVisibleLagMs: early,
        });
      }

      await this.subscribers.applyCredits(
        manager,
        [...credits.entries()].map(([msisdn, credit]) => {
          const wallet = wallets.get(msisdn)!;
          return {
            msisdn,
            credit,
            dailyCreditDate: wallet.dailyCreditDate!,
            dailyCreditTotal: wallet.dailyCreditTotal,
          };
        }),
      );
      const records = await this.cashins.markCompleted(manager, completed);
      if (records.length !== completed.length) {
        throw new Error(
          `completed ${records.length} cash-ins instead of ${completed.length}; rolling the batch back`,
        );
      }
      const holds = await this.cashins.deleteHolds(
        manager,
        completed.map((entry) => entry.id),
      );
      if (holds !== due.filter((cashin) => cashin.hold).length)
        throw new Error('the float holds changed under a locked batch');

      const queued: NewCallback[] = [];
      const plans = new Map(due.map((cashin) => [cashin.id, cashin.callbackPlan]));
      for (const record of records) {
        if (!record.callbackUrl) continue;
        const plan = plans.get(record.id);
        const payload = JSON.stringify(presentTransaction(record));
        const base = { cashinId: record.id, url: record.callbackUrl, payload, delayMs: plan?.delayMs ?? 0 };
        queued.push({ ...base, kind: 'FINAL', status: plan?.drop ? 'DROPPED' : 'PENDING' });
        if (plan?.duplicate && !plan.drop) queued.push({ ...base, kind: 'DUPLICATE', status: 'PENDING' });
      }
      await this.callbacks.enqueue(manager, queued, this.config.MOBILE_MONEY_CALLBACK_MAX_ATTEMPTS);
      // Last, so the float shards are locked only until the commit that follows.
      await this.float.settle(manager, perShard);
      const pendingDelays = queued
        .filter((entry) => entry.status === 'PENDING')
        .map((entry) => entry.delayMs);
      return {
        completed,
        callbackDelayMs: pendingDelays.length ? Math.min(...pendingDelays) : null,
        records,
      };
    });
    for (const record of result.records)
      this.outcomes.inc({ status: record.status, reason: record.reasonCode ?? 'none' });
    return { completed: result.completed.length, callbackDelayMs: result.callbackDelayMs };
  }

  /**
   * A cash-in whose home shard was short at acceptance is reserved for across the whole float by
   * the accept's slow path, in a transaction of its own; one this batch locked before that
   * happened is reserved for here, so that it fails for insufficient funds only when the whole
   * float cannot cover it, whichever of the two gets to it first.
   */
  private async reserveForUnheld(manager: EntityManager, due: DueCashin[]): Promise<DueCashin[]> {
    const unheld = due.filter((cashin) => cashin.hold === null);
    if (unheld.length === 0) return due;
    const shardOf = (cashin: DueCashin) => homeShard(cashin.referenceId, this.float.shardCount);
    const reserved = await this.float.reserveAcrossShardsWithin(
      manager,
      unheld.map((cashin) => ({ cashinId: cashin.id, shard: shardOf(cashin), amount: cashin.amount })),
    );
    return due.map((cashin) =>
      cashin.hold === null && reserved.has(cashin.id)
        ? { ...cashin, hold: { shard: shardOf(cashin), amount: cashin.amount } }
        : cashin,
    );
  }
}
