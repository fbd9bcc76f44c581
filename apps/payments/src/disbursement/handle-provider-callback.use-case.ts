import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError, isUuid, MetricsService, SERVICE_CONFIG } from '@scholarpay/platform';
import type { PaymentsConfig } from '../payments.config';
import { verifyCallbackSignature } from '../provider/callback-signature';
import { readTransaction } from '../provider/provider-outcome';
import { DisbursementQueue } from './disbursement.queue';
import { nextStep } from './payout-line.decisions';
import { DisbursementLine, PayoutLineStore } from './payout-line.store';

const SEND_RECORD_PATIENCE_MS = 3000;

export interface CallbackAnswer {
  received: true;
  /** `confirming`: a status query will confirm the outcome; `ignored`: nothing to do (unknown reference, or already final). */
  action: 'confirming' | 'ignored';
}

/**
 * A provider callback is a hint, never the truth: once its signature (HMAC over the raw body, with
 * a fresh timestamp) checks out, it is recorded and a job for its line is queued, and that job
 * asks the provider for the reference's status before acting. Duplicated, late or forged callbacks
 * therefore cannot move money or a line by themselves.
 */
@Injectable()
export class HandleProviderCallbackUseCase {
  private readonly logger = new Logger(HandleProviderCallbackUseCase.name);
  private readonly received;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: PaymentsConfig,
    private readonly store: PayoutLineStore,
    private readonly queue: DisbursementQueue,
    metrics: MetricsService,
  ) {
    this.received = metrics.counter('provider_callbacks_total', 'Provider callbacks by outcome', ['outcome']);
  }

  async execute(input: { rawBody: Buffer | undefined; signature: string | undefined }): Promise<CallbackAnswer> {
    const rawBody = input.rawBody ?? Buffer.alloc(0);
    const check = verifyCallbackSignature({
      header: input.signature,
      rawBody,
      secret: this.config.MOBILE_MONEY_CALLBACK_SECRET,
      nowSeconds: Math.floor(Date.now() / 1000),
      toleranceSeconds: this.config.PAYMENTS_CALLBACK_TOLERANCE_SECONDS,
    });
    if (!check.ok) {
      this.received.inc({ outcome: 'bad_signature' });
      this.logger.warn({ problem: check.problem }, 'provider callback refused');
      throw new AppError('unauthenticated', 'PROVIDER_CALLBACK.INVALID_SIGNATURE', `the callback signature is not valid: ${check.problem}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      body = undefined;
    }
    const transaction = readTransaction(body);
    if (!transaction) {
      this.received.inc({ outcome: 'unreadable' });
      throw AppError.validation('PROVIDER_CALLBACK.INVALID_BODY', 'the callback body is not a transaction', [
        { field: '(body)', problem: 'must be a Transaction with transactionId, referenceId, status and amount' },
      ]);
    }
    // Our references are line ids; anything else is no line of ours (and must never reach the
    // grouped line query, where one malformed uuid would fail the whole group).
    const lineId = isUuid(transaction.referenceId) ? transaction.referenceId.toLowerCase() : undefined;
    const line = lineId ? await this.store.load(lineId) : undefined;
    if (!line) {
      this.received.inc({ outcome: 'unknown_reference' });
      this.logger.warn({ referenceId: transaction.referenceId, transactionId: transaction.transactionId }, 'callback for a reference we have no line for');
      return { received: true, action: 'ignored' };
    }
    await this.store.recordInteractions([
      {
        lineId: line.id,
        operation: 'CALLBACK',
        httpStatus: null,
        outcome: 'received',
        providerStatus: transaction.status,
        providerTransactionId: transaction.transactionId,
        reasonCode: transaction.reasonCode,
        detail: `signed at ${check.timestamp}`,
      },
    ]);
    const current = line.status === 'PENDING' ? await this.afterRecordedSend(line) : line;
    if (current.batchState !== 'DISBURSING' || nextStep(current) === 'none') {
      this.received.inc({ outcome: 'already_settled' });
      return { received: true, action: 'ignored' };
    }
    await this.queue.confirm(current.id);
    this.received.inc({ outcome: 'confirming' });
    return { received: true, action: 'confirming' };
  }

  /**
   * A callback can beat our own record of the send: the job that sent the cash-in is about to
   * write SUBMITTED (or PAID) and would otherwise race a confirmation that sends again. Wait for
   * that write a little; a line still PENDING after that lost its job, and confirming it is right.
   */
  private async afterRecordedSend(line: DisbursementLine): Promise<DisbursementLine> {
    const deadline = Date.now() + SEND_RECORD_PATIENCE_MS;
    let current = line;
    while (current.status === 'PENDING' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      current = (await this.store.load(line.id)) ?? current;
    }
    return current;
  }
}
