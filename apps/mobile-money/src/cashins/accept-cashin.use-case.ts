import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CallbackDeliveryRepository } from '../callbacks/callback-delivery.repository';
import { CallbackDispatcher } from '../callbacks/callback-dispatcher.worker';
import { MOBILE_MONEY_CONFIG } from '../config/mobile-money.config';
import type { MobileMoneyConfig } from '../config/mobile-money.config';
import { FaultService } from '../faults/fault.service';
import { homeShard } from '../wallets/float-shards';
import { MerchantFloatRepository } from '../wallets/merchant-float.repository';
import { CashinAcceptBatcher } from './cashin-accept.batcher';
import { CashinProcessor } from './cashin-processor.worker';
import { CashinRepository } from './cashin.repository';
import { CashinErrors, parseCallbackUrl, parseReferenceId } from './cashins.errors';
import type { CreateCashinDto } from './dto/create-cashin.dto';
import { presentTransaction, TransactionView } from './transaction.presenter';

export interface AcceptCashinCommand {
  referenceIdHeader: unknown;
  callbackUrlHeader: unknown;
  body: CreateCashinDto;
  clientId: string;
}

export interface CashinAnswer {
  httpStatus: 200 | 202;
  transaction: TransactionView;
}

/**
 * Accepts a cash-in: inserts it as PENDING under its X-Reference-Id and reserves the float for it on
 * its home shard, in one statement shared with the cash-ins arriving at the same moment
 * (CashinAcceptBatcher); when that shard is short, a second transaction tries the whole float. A
 * reference already used never pays again: 409 RESOURCE_ALREADY_EXIST with the original transaction
 * (or, with MOBILE_MONEY_DUPLICATE_MODE=replay, 200 and the current transaction when the body is the
 * same).
 */
@Injectable()
export class AcceptCashinUseCase {
  constructor(
    @Inject(MOBILE_MONEY_CONFIG) private readonly config: MobileMoneyConfig,
    private readonly cashins: CashinRepository,
    private readonly faults: FaultService,
    private readonly processor: CashinProcessor,
    private readonly callbacks: CallbackDeliveryRepository,
    private readonly dispatcher: CallbackDispatcher,
    private readonly dataSource: DataSource,
    private readonly float: MerchantFloatRepository,
    private readonly batcher: CashinAcceptBatcher,
  ) {}

  async execute(command: AcceptCashinCommand): Promise<CashinAnswer> {
    const reference = parseReferenceId(command.referenceIdHeader);
    if (!reference.ok) throw CashinErrors.invalidReferenceId(reference.problem);
    const callbackUrl = parseCallbackUrl(command.callbackUrlHeader);
    if (!callbackUrl.ok) throw CashinErrors.invalidCallbackUrl(callbackUrl.problem);

    const { body } = command;
    const msisdn = body.customer.id;
    const payloadHash = hashPayload(body);
    const processingDelayMs = this.faults.processingDelayMs(msisdn);
    const callbackPlan = callbackUrl.value ? this.faults.decideCallback(msisdn) : null;
    const floatShard = homeShard(reference.value, this.float.shardCount);
    const accepted = await this.batcher.submit({
      transactionId: newTransactionId(),
      referenceId: reference.value,
      payloadHash,
      msisdn,
      amount: body.amount.value,
      merchantReference: body.reference,
      description: body.description ?? null,
      callbackUrl: callbackUrl.value,
      clientId: command.clientId,
      processingDelayMs,
      callbackPlan,
      floatShard,
    });

    if (accepted) {
      // The home shard was short: try the whole float (a second, rarer transaction).
      if (!accepted.held)
        await this.float.reserveAcrossShards(accepted.record.id, floatShard, accepted.record.amount);
      this.processor.dueIn(processingDelayMs);
      const transaction = presentTransaction(accepted.record);
      if (callbackUrl.value && callbackPlan?.early === 'pending') {
        // The "premature PENDING callback" fault: sent at once, before anything is final.
        await this.callbacks.enqueue(
          this.dataSource,
          [
            {
              cashinId: accepted.record.id,
              url: callbackUrl.value,
              payload: JSON.stringify(transaction),
              kind: 'EARLY_PENDING',
              status: 'PENDING',
              delayMs: 0,
            },
          ],
          this.config.MOBILE_MONEY_CALLBACK_MAX_ATTEMPTS,
        );
        this.dispatcher.wakeIn(0);
      }
      return { httpStatus: 202, transaction };
    }

    const existing = await this.cashins.findByReferenceId(reference.value);
    if (!existing) throw new Error('a cash-in reference conflicted but cannot be read back');
    const samePayload = existing.payloadHash === payloadHash;
    const transaction = presentTransaction(existing);
    if (samePayload && this.config.MOBILE_MONEY_DUPLICATE_MODE === 'replay')
      return { httpStatus: 200, transaction };
    throw CashinErrors.alreadyExists(transaction, samePayload);
  }
}

/** What makes two requests "the same cash-in": payee, amount, merchant reference, description. */
export function hashPayload(body: CreateCashinDto): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        body.customer.idType,
        body.customer.id,
        body.amount.value,
        body.amount.unit,
        body.reference,
        body.description ?? null,
      ]),
    )
    .digest('hex');
}

/**
 * `CI` + the day (yyMMdd) + 20 hex digits (78 random bits, from randomUUID's pooled entropy, which is
 * cheaper per call than randomBytes): unguessable, and readable in a statement.
 */
export function newTransactionId(now = new Date()): string {
  const day = now.toISOString().slice(2, 10).replace(/-/g, '');
  const hex = randomUUID().replace(/-/g, '');
  // Skip the version digit (index 12) of the UUID.
  return `CI${day}.${(hex.slice(0, 12) + hex.slice(13, 21)).toUpperCase()}`;
}
