import { Injectable } from '@nestjs/common';
import type { UpsertSubscriberDto } from './dto/upsert-subscriber.dto';
import { presentSubscriber, SubscriberJson } from './subscriber.presenter';
import { SubscriberRepository } from './subscriber.repository';

/** Opens a wallet or changes its KYC level / blocked flag; records which client did it. */
@Injectable()
export class UpsertSubscriberUseCase {
  constructor(private readonly subscribers: SubscriberRepository) {}

  async execute(
    command: UpsertSubscriberDto,
    by: string,
  ): Promise<{ created: boolean; subscriber: SubscriberJson }> {
    const { subscriber, created } = await this.subscribers.upsert(
      { msisdn: command.msisdn, kycLevel: command.kycLevel, blocked: command.blocked },
      by,
    );
    return { created, subscriber: presentSubscriber(subscriber, new Date().toISOString().slice(0, 10)) };
  }
}
