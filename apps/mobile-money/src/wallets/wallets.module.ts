import { Module } from '@nestjs/common';
import { AccountController } from './account.controller';
import { AdminWalletsController } from './admin-wallets.controller';
import { GetSubscriberUseCase } from './get-subscriber.use-case';
import { TopUpFloatUseCase } from './top-up-float.use-case';
import { UpsertSubscriberUseCase } from './upsert-subscriber.use-case';
import { CheckAccountHolderUseCase } from './check-account-holder.use-case';
import { FloatInitializer } from './float-initializer';
import { GetBalanceUseCase } from './get-balance.use-case';
import { MerchantFloatRepository } from './merchant-float.repository';
import { SubscriberRepository } from './subscriber.repository';

@Module({
  controllers: [AccountController, AdminWalletsController],
  providers: [
    SubscriberRepository,
    MerchantFloatRepository,
    FloatInitializer,
    GetBalanceUseCase,
    CheckAccountHolderUseCase,
    UpsertSubscriberUseCase,
    GetSubscriberUseCase,
    TopUpFloatUseCase,
  ],
  exports: [SubscriberRepository, MerchantFloatRepository],
})
export class WalletsModule {}
