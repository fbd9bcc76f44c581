import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { EventTypes, Topics } from '@scholarpay/contracts';
import { consumedMessageFrom, InboxProcessor } from '@scholarpay/messaging';
import { RecordPayoutUseCase } from './record-payout.use-case';

export const PAYOUT_EVENTS_CONSUMER = 'eligibility.payouts';

/**
 * Payments' successful payouts, applied exactly once each (inbox): the months each award was paid
 * for, which a revoked award keeps committing. Failed payouts move no money and are not consumed.
 */
@Controller()
export class PayoutEventsConsumer {
  constructor(
    private readonly inbox: InboxProcessor,
    private readonly recordPayout: RecordPayoutUseCase,
  ) {}

  @EventPattern(Topics.payoutEvents)
  async handle(@Payload() _payload: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.inbox.process(PAYOUT_EVENTS_CONSUMER, consumedMessageFrom(context), {
      [EventTypes.payoutSucceeded]: (event, manager) => this.recordPayout.execute(event, manager),
    });
  }
}
