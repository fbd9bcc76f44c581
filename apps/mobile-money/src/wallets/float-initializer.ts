import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { MOBILE_MONEY_CONFIG } from '../config/mobile-money.config';
import type { MobileMoneyConfig } from '../config/mobile-money.config';
import { MerchantFloatRepository } from './merchant-float.repository';

/** Opens the merchant float with MOBILE_MONEY_INITIAL_FLOAT on the very first start. */
@Injectable()
export class FloatInitializer implements OnModuleInit {
  constructor(
    @Inject(MOBILE_MONEY_CONFIG) private readonly config: MobileMoneyConfig,
    private readonly float: MerchantFloatRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.float.ensureExists(this.config.MOBILE_MONEY_INITIAL_FLOAT);
  }
}
