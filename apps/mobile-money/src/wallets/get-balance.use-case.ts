import { Injectable } from '@nestjs/common';
import { MerchantFloatRepository } from './merchant-float.repository';

export interface BalanceView {
  available: { value: number; unit: 'XOF' };
  reserved: { value: number; unit: 'XOF' };
}

/** The merchant's float: what can still be paid out, and what pending cash-ins hold. */
@Injectable()
export class GetBalanceUseCase {
  constructor(private readonly float: MerchantFloatRepository) {}

  async execute(): Promise<BalanceView> {
    const { balance, reserved } = await this.float.read();
    return {
      available: { value: balance - reserved, unit: 'XOF' },
      reserved: { value: reserved, unit: 'XOF' },
    };
  }
}
