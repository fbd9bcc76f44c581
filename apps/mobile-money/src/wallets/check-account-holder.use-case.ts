import { Injectable } from '@nestjs/common';
import { ProviderError } from '../common/provider-error';
import { MALI_MSISDN, MALI_MSISDN_PROBLEM } from '../common/money.dto';
import { SubscriberRepository } from './subscriber.repository';

/** Whether a number can receive a cash-in: it has a wallet and the wallet is not blocked. */
@Injectable()
export class CheckAccountHolderUseCase {
  constructor(private readonly subscribers: SubscriberRepository) {}

  async execute(msisdn: string): Promise<{ result: boolean }> {
    if (!MALI_MSISDN.test(msisdn)) {
      throw ProviderError.invalidRequest(`msisdn ${MALI_MSISDN_PROBLEM}`, [
        { field: 'msisdn', problem: MALI_MSISDN_PROBLEM },
      ]);
    }
    return { result: await this.subscribers.isActive(msisdn) };
  }
}
