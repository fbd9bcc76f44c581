import { Injectable } from '@nestjs/common';
import type { TopUpFloatDto } from './dto/top-up-float.dto';
import { MerchantFloatRepository } from './merchant-float.repository';

export interface FloatJson {
  balance: { value: number; unit: 'XOF' };
  available: { value: number; unit: 'XOF' };
  reserved: { value: number; unit: 'XOF' };
}

/** Adds money to the merchant float (recorded with who and why). */
@Injectable()
export class TopUpFloatUseCase {
  constructor(private readonly float: MerchantFloatRepository) {}

  async execute(command: TopUpFloatDto, by: string): Promise<FloatJson> {
    const { balance, reserved } = await this.float.topUp(command.amount.value, by, command.note ?? null);
    return {
      balance: { value: balance, unit: 'XOF' },
      available: { value: balance - reserved, unit: 'XOF' },
      reserved: { value: reserved, unit: 'XOF' },
    };
  }
}
