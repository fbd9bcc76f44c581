import { Module } from '@nestjs/common';
import { AccountController } from './account.controller';
import { CheckAccountHolderUseCase } from './check-account-holder.use-case';
import { FloatInitializer } from './float-initializer';
import { GetBalanceUseCase } from './get-balance.use-case';
import { MerchantFloatRepository } from './merchant-float.repository';
import { SubscriberRepository } from './subscriber.repository';

@Module({
  controllers: [AccountController],
  providers: [SubscriberRepository, MerchantFloatRepository, FloatInitializer, GetBalanceUseCase, CheckAccountHolderUseCase],
  exports: [SubscriberRepository, MerchantFloatRepository],
})
export class WalletsModule {}
