import { Injectable } from '@nestjs/common';
import { ProviderError } from '../common/provider-error';
import { MALI_MSISDN, MALI_MSISDN_PROBLEM } from '../common/money.dto';
import { SmsRepository, SmsView } from './sms.repository';

const MAX_LISTED = 1000;

@Injectable()
export class ListSmsUseCase {
  constructor(private readonly sms: SmsRepository) {}

  async execute(to: unknown): Promise<{ items: SmsView[] }> {
    if (typeof to !== 'string' || !MALI_MSISDN.test(to)) {
      // A repeated query parameter arrives as an array.
      const problem = typeof to === 'string' ? MALI_MSISDN_PROBLEM : Array.isArray(to) ? 'must be given once' : 'is required';
      throw ProviderError.invalidRequest(`to ${problem}`, [{ field: 'to', problem }]);
    }
    return { items: await this.sms.listTo(to, MAX_LISTED) };
  }
}
