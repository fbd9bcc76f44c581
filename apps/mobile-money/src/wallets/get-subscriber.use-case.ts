import { Injectable } from '@nestjs/common';
import { ProviderError } from '../common/provider-error';
import { MALI_MSISDN, MALI_MSISDN_PROBLEM } from '../common/money.dto';
import { presentSubscriber, SubscriberJson } from './subscriber.presenter';
import { SubscriberRepository } from './subscriber.repository';

@Injectable()
export class GetSubscriberUseCase {
  constructor(private readonly subscribers: SubscriberRepository) {}

  async execute(msisdn: string): Promise<SubscriberJson> {
    if (!MALI_MSISDN.test(msisdn)) {
      throw ProviderError.invalidRequest(`msisdn ${MALI_MSISDN_PROBLEM}`, [
        { field: 'msisdn', problem: MALI_MSISDN_PROBLEM },
      ]);
    }
    const subscriber = await this.subscribers.findByMsisdn(msisdn);
    if (!subscriber) throw ProviderError.notFound('no subscriber has this number');
    return presentSubscriber(subscriber, new Date().toISOString().slice(0, 10));
  }
}
