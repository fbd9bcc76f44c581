import { Inject, Injectable, Logger } from '@nestjs/common';
import { MetricsService, SERVICE_CONFIG } from '@scholarpay/platform';
import type { PaymentsConfig } from '../payments.config';
import { CallbackUrl } from '../provider/provider.module';
import { CallRecord, MobileMoneyClient } from '../provider/mobile-money.client';
import type { CashinOutcome, StatusOutcome } from '../provider/provider-outcome';
import { Decision, decideAfterCheck, decideAfterSend, DisbursementTimings, nextStep } from './payout-line.decisions';
import { frenchMonth, payoutSmsMessage, shortReference } from './payout-sms.rules';
import { DisbursementLine, PayoutLineStore, ProviderInteraction } from './payout-line.store';

/** What the queue should do with the line's job after one run. */
export type Directive =
  | { kind: 'done' }
  /** Run the same job again after `delayMs` (an UNKNOWN line's next status query). */
  | { kind: 'recheck'; delayMs: number }
  /** The provider said 429: pause the whole queue, then run this job again. */
  | { kind: 'rate_limited'; retryAfterMs: number }
  /** Nothing happened that we can build on (credentials refused, provider unreachable for the SMS): retry with backoff. */
  | { kind: 'retry'; reason: string };

const MAX_ROUNDS = 4;

/**
 * One run of a line's job: look at the line as the database has it, make the one provider call
 * its status calls for (send, status query, or SMS), decide with the pure rules, and record the
 * result before anything else happens. A crash anywhere leaves the line in a state from which the
 * next run does the right thing: the database is the only memory.
 */
@Injectable()
export class AdvancePayoutLineUseCase {
  private readonly logger = new Logger(AdvancePayoutLineUseCase.name);
  private readonly timings: DisbursementTimings;
  private readonly finished;
  private readonly calls;

  constructor(
    private readonly store: PayoutLineStore,
    private readonly provider: MobileMoneyClient,
    private readonly callbackUrl: CallbackUrl,
    @Inject(SERVICE_CONFIG) config: PaymentsConfig,
    metrics: MetricsService,
  ) {
    this.timings = {
      statusCheckAfterMs: config.PAYMENTS_STATUS_CHECK_AFTER_MS,
      unknownRecheckMs: config.PAYMENTS_UNKNOWN_RECHECK_MS,
      maxRecheckDelayMs: config.PAYMENTS_MAX_RECHECK_DELAY_MS,
      resendDelayMs: config.PAYMENTS_RESEND_DELAY_MS,
    };
    this.finished = metrics.counter('payouts_finished_total', 'Payout lines that reached a final status', ['status']);
    this.calls = metrics.histogram(
      'provider_call_duration_seconds',
      'Calls to the mobile-money provider by operation and outcome',
      ['operation', 'outcome'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    );
  }

  async execute(lineId: string): Promise<Directive> {
    let line = await this.store.load(lineId);
    for (let round = 0; round < MAX_ROUNDS && line; round++) {
      const step = nextStep(line);
      if (step === 'none') return { kind: 'done' };
      if (step !== 'sms' && line.batchState !== 'DISBURSING') {
        // Only a disbursing batch's lines are ever sent or queried (a draft line must never move money).
        this.logger.warn({ lineId, batchState: line.batchState, status: line.status }, 'line job for a batch that is not disbursing; skipped');
        return { kind: 'done' };
      }
      if (step === 'sms') return this.sendSms(line);
      const outcome = step === 'send' ? await this.send(line) : await this.check(line);
      if (outcome.kind === 'directive') return outcome.directive;
      // The line moved: PAID (its SMS is next) or stale (someone else moved it). Look again.
      line = outcome.kind === 'continue' ? outcome.line : await this.store.load(lineId);
    }
    if (line) return { kind: 'retry', reason: 'the line kept changing under this job' };
    this.logger.warn({ lineId }, 'line job for a line that does not exist; dropped');
    return { kind: 'done' };
  }

  private async send(line: DisbursementLine): Promise<Step> {
    const call = await this.provider.createCashin({
      referenceId: line.id,
      msisdn: line.phone,
      amount: line.amount,
      reference: `SCHOLARPAY-${line.month}-${shortReference(line.id)}`,
      description: `Bourse ScholarPay ${frenchMonth(line.month)}`,
      callbackUrl: this.callbackUrl.get(),
    });
    const interactions = [this.cashinInteraction(line.id, call)];
    return this.apply(line, decideAfterSend(line, call.outcome, new Date(), this.timings), interactions);
  }

  private async check(line: DisbursementLine): Promise<Step> {
    const call = await this.provider.getCashin(line.id);
    const interactions = [this.statusInteraction(line.id, call)];
    let decision = decideAfterCheck(line, call.outcome, new Date(), this.timings);
    if (decision.kind === 'resend') {
      // The provider has no cash-in under this reference, and the last send is safely old: send
      // again under the SAME reference (were the first still to arrive, it could not pay twice).
      const resend = await this.provider.createCashin({
        referenceId: line.id,
        msisdn: line.phone,
        amount: line.amount,
        reference: `SCHOLARPAY-${line.month}-${shortReference(line.id)}`,
        description: `Bourse ScholarPay ${frenchMonth(line.month)}`,
        callbackUrl: this.callbackUrl.get(),
      });
      interactions.push(this.cashinInteraction(line.id, resend));
      decision = decideAfterSend(line, resend.outcome, new Date(), this.timings);
    }
    return this.apply(line, decision, interactions);
  }

  private async apply(line: DisbursementLine, decision: Decision, interactions: ProviderInteraction[]): Promise<Step> {
    switch (decision.kind) {
      case 'update':
      case 'update_and_recheck': {
        const result = await this.store.write({ line, update: decision.update, interactions });
        if (!result.applied) return { kind: 'stale' };
        const to = decision.update.to;
        if (to === 'PAID' || to === 'FAILED') this.finished.inc({ status: to });
        if (decision.kind === 'update_and_recheck') return directive({ kind: 'recheck', delayMs: decision.delayMs });
        if (decision.then === 'sms') {
          return { kind: 'continue', line: { ...line, status: to, smsSentAt: null, providerTransactionId: decision.update.transaction?.transactionId ?? line.providerTransactionId } };
        }
        return directive({ kind: 'done' });
      }
      case 'rate_limited':
        await this.store.recordInteractions(interactions);
        return directive({ kind: 'rate_limited', retryAfterMs: decision.retryAfterMs });
      case 'retry':
        await this.store.recordInteractions(interactions);
        return directive({ kind: 'retry', reason: decision.reason });
      case 'resend':
        // decideAfterSend never asks for a resend; a second one in a row would be a bug.
        throw new Error('a resend was asked for right after a send');
    }
  }

  private async sendSms(line: DisbursementLine): Promise<Directive> {
    const message = payoutSmsMessage({ month: line.month, amount: line.amount, operator: line.operator, lineId: line.id });
    const call = await this.provider.sendSms({ to: line.phone, message, reference: line.id });
    const { outcome } = call;
    this.calls.observe({ operation: 'SMS', outcome: outcome.kind }, call.durationMs / 1000);
    const interaction: ProviderInteraction = {
      lineId: line.id,
      operation: 'SMS',
      httpStatus: call.httpStatus,
      outcome: outcome.kind,
      detail: outcome.kind === 'failed' ? outcome.reason : outcome.kind === 'rejected' ? `${outcome.httpStatus} ${outcome.code}` : null,
      durationMs: call.durationMs,
    };
    switch (outcome.kind) {
      case 'sent':
        await this.store.write({ line, sms: { smsId: outcome.smsId }, interactions: [interaction] });
        return { kind: 'done' };
      case 'rejected':
        // The provider will never accept this message: record why and stop (the payout itself stands).
        this.logger.warn({ lineId: line.id, httpStatus: outcome.httpStatus, code: outcome.code }, 'payout SMS refused by the provider');
        await this.store.write({ line, sms: { failure: `${outcome.httpStatus} ${outcome.code}` }, interactions: [interaction] });
        return { kind: 'done' };
      case 'rate_limited':
        await this.store.recordInteractions([interaction]);
        return { kind: 'rate_limited', retryAfterMs: outcome.retryAfterMs };
      case 'failed':
        // Maybe sent, maybe not: retrying under the same reference cannot send it twice.
        await this.store.recordInteractions([interaction]);
        return { kind: 'retry', reason: `SMS not confirmed: ${outcome.reason}` };
    }
  }

  private cashinInteraction(lineId: string, call: CallRecord<CashinOutcome>): ProviderInteraction {
    const { outcome } = call;
    this.calls.observe({ operation: 'CASHIN', outcome: outcome.kind }, call.durationMs / 1000);
    const transaction = outcome.kind === 'accepted' || outcome.kind === 'duplicate' ? outcome.transaction : undefined;
    return {
      lineId,
      operation: 'CASHIN',
      httpStatus: call.httpStatus,
      outcome: outcome.kind,
      providerStatus: transaction?.status ?? null,
      providerTransactionId: transaction?.transactionId ?? null,
      reasonCode: transaction?.reasonCode ?? (outcome.kind === 'rejected' || outcome.kind === 'not_processed' ? outcome.code : null),
      detail:
        outcome.kind === 'ambiguous'
          ? outcome.reason
          : outcome.kind === 'rejected' || outcome.kind === 'not_processed'
            ? outcome.message
            : outcome.kind === 'rate_limited'
              ? `retry after ${outcome.retryAfterMs} ms`
              : null,
      durationMs: call.durationMs,
    };
  }

  private statusInteraction(lineId: string, call: CallRecord<StatusOutcome>): ProviderInteraction {
    const { outcome } = call;
    this.calls.observe({ operation: 'STATUS', outcome: outcome.kind }, call.durationMs / 1000);
    const transaction = outcome.kind === 'found' ? outcome.transaction : undefined;
    return {
      lineId,
      operation: 'STATUS',
      httpStatus: call.httpStatus,
      outcome: outcome.kind,
      providerStatus: transaction?.status ?? null,
      providerTransactionId: transaction?.transactionId ?? null,
      reasonCode: transaction?.reasonCode ?? null,
      detail: outcome.kind === 'unavailable' ? outcome.reason : outcome.kind === 'rate_limited' ? `retry after ${outcome.retryAfterMs} ms` : null,
      durationMs: call.durationMs,
    };
  }
}

type Step = { kind: 'directive'; directive: Directive } | { kind: 'continue'; line: DisbursementLine } | { kind: 'stale' };

function directive(value: Directive): Step {
  return { kind: 'directive', directive: value };
}
