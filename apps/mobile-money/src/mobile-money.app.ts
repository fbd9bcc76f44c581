import { DynamicModule, Module } from '@nestjs/common';
import { loadConfig, PlatformModule, RunningServiceApp, startService } from '@scholarpay/platform';
import { CallbackDelivery } from './callbacks/callback-delivery.entity';
import { CallbacksModule } from './callbacks/callbacks.module';
import { Cashin, FloatHold } from './cashins/cashin.entity';
import { CashinsModule } from './cashins/cashins.module';
import { ProviderCoreModule } from './common/provider-core.module';
import { mobileMoneyConfigSchema } from './config/mobile-money.config';
import type { MobileMoneyConfig } from './config/mobile-money.config';
import { CreateProviderTables1767225600000 } from './database/migrations/1767225600000-create-provider-tables';
import { ShardMerchantFloat1767312000000 } from './database/migrations/1767312000000-shard-merchant-float';
import { MoreFloatShards1767398400000 } from './database/migrations/1767398400000-more-float-shards';
import { PersistFaultConfig1767484800000 } from './database/migrations/1767484800000-persist-fault-config';
import { DropCallbackDeliveriesCashinIndex1767571200000 } from './database/migrations/1767571200000-drop-callback-deliveries-cashin-index';
import { FaultConfigChange } from './faults/fault-config-change.entity';
import { FaultsModule } from './faults/faults.module';
import { AccessToken } from './oauth/access-token.entity';
import { OAuthModule } from './oauth/oauth.module';
import { SmsMessage } from './sms/sms-message.entity';
import { SmsModule } from './sms/sms.module';
import { StatementModule } from './statement/statement.module';
import { FloatShardEntity, FloatTopup } from './wallets/merchant-float.entity';
import { Subscriber } from './wallets/subscriber.entity';
import { WalletsModule } from './wallets/wallets.module';

export { mobileMoneyConfigSchema } from './config/mobile-money.config';
export type { MobileMoneyConfig } from './config/mobile-money.config';

export const MOBILE_MONEY_SERVICE = 'mobile-money';

/** The provider keeps its own state in the `mobile_money` schema; it uses no Kafka (an outside party). */
export const mobileMoneyDatabase = {
  schema: 'mobile_money',
  entities: [
    AccessToken,
    FloatShardEntity,
    FloatTopup,
    Subscriber,
    Cashin,
    FloatHold,
    CallbackDelivery,
    SmsMessage,
    FaultConfigChange,
  ],
  migrations: [
    CreateProviderTables1767225600000,
    ShardMerchantFloat1767312000000,
    MoreFloatShards1767398400000,
    PersistFaultConfig1767484800000,
    DropCallbackDeliveriesCashinIndex1767571200000,
  ],
};

@Module({})
export class MobileMoneyModule {
  static register(config: MobileMoneyConfig): DynamicModule {
    return {
      module: MobileMoneyModule,
      imports: [
        PlatformModule.forService({
          service: MOBILE_MONEY_SERVICE,
          config,
          database: { ...mobileMoneyDatabase, poolSize: config.MOBILE_MONEY_DB_POOL_SIZE },
        }),
        ProviderCoreModule.register(config),
        OAuthModule,
        WalletsModule,
        CallbacksModule,
        CashinsModule,
        StatementModule,
        SmsModule,
        FaultsModule,
      ],
    };
  }
}

/** Starts the mock mobile-money provider (paths at the root, like the outside API it mimics). */
export async function startMobileMoneyService(
  env: Record<string, string | undefined> = process.env,
  overrides: { port?: number } = {},
): Promise<RunningServiceApp> {
  const config = loadConfig(MOBILE_MONEY_SERVICE, mobileMoneyConfigSchema, env);
  return startService({
    service: MOBILE_MONEY_SERVICE,
    title: 'ScholarPay mock mobile-money provider',
    description:
      'An Orange-Money-style cash-in API (OAuth2 client credentials, idempotent cash-ins, signed callbacks, statement, SMS) with fault injection.',
    port: overrides.port ?? config.PORT,
    config,
    database: { ...mobileMoneyDatabase, poolSize: config.MOBILE_MONEY_DB_POOL_SIZE },
    rootModule: MobileMoneyModule.register(config),
    globalPrefix: null,
    bearerToken: { format: 'opaque', description: 'an access token from POST /oauth/v3/token (OAuth2 client credentials)' },
  });
}
