import { DynamicModule, Module } from '@nestjs/common';
import { MessagingModule, messagingEntities, messagingMigrations } from '@scholarpay/messaging';
import { loadConfig, PlatformModule, RunningServiceApp, startService } from '@scholarpay/platform';
import { BatchesModule } from './batches/batches.module';
import { payoutBatchEntities } from './batches/payout-batch.entities';
import { PaymentsSchema1764300000000 } from './database/migrations/1764300000000-payments-schema';
import { LedgerBalanceCheckPerStatement1764300000001 } from './database/migrations/1764300000001-ledger-balance-check-per-statement';
import { DropIndexesNoQueryNeeds1764300000002 } from './database/migrations/1764300000002-drop-indexes-no-query-needs';
import { OneLiveLinePerStudentMonth1764300000003 } from './database/migrations/1764300000003-one-live-line-per-student-month';
import { AwardRevokedInMonth1764300000004 } from './database/migrations/1764300000004-award-revoked-in-month';
import { DisbursementModule } from './disbursement/disbursement.module';
import { LedgerModule } from './ledger/ledger.module';
import { PaymentsConfig, paymentsConfigSchema } from './payments.config';
import { ReadModelsModule } from './read-models/read-models.module';
import { readModelEntities } from './read-models/read-model.entities';
import { ReconciliationModule } from './reconciliation/reconciliation.module';

export { paymentsConfigSchema } from './payments.config';
export type { PaymentsConfig } from './payments.config';

export const SERVICE = 'payments';

export const paymentsDatabase = {
  schema: 'payments',
  entities: [...messagingEntities, ...readModelEntities, ...payoutBatchEntities],
  migrations: [
    ...messagingMigrations,
    PaymentsSchema1764300000000,
    LedgerBalanceCheckPerStatement1764300000001,
    DropIndexesNoQueryNeeds1764300000002,
    OneLiveLinePerStudentMonth1764300000003,
    AwardRevokedInMonth1764300000004,
  ],
};

@Module({})
export class PaymentsModule {
  static register(config: PaymentsConfig): DynamicModule {
    return {
      module: PaymentsModule,
      imports: [
        PlatformModule.forService({ service: SERVICE, config, database: { ...paymentsDatabase, poolSize: config.PAYMENTS_DB_POOL_SIZE } }),
        MessagingModule.forService({ service: SERVICE, brokers: config.KAFKA_BROKERS, logLevel: config.LOG_LEVEL }),
        ReadModelsModule,
        LedgerModule,
        BatchesModule,
        DisbursementModule,
        ReconciliationModule,
      ],
    };
  }
}

/** Starts payments: migrations, HTTP API under /api/v1, Kafka consumers (group `payments`), the disbursement worker. */
export async function startPaymentsService(
  env: Record<string, string | undefined> = process.env,
  overrides: { port?: number } = {},
): Promise<RunningServiceApp> {
  const config = loadConfig(SERVICE, paymentsConfigSchema, env);
  return startService({
    service: SERVICE,
    title: 'ScholarPay payments',
    description:
      'Monthly stipend batches with two-person approval, exactly-once mobile-money payouts, a double-entry ledger and reconciliation.',
    port: overrides.port ?? config.PORT,
    config,
    database: paymentsDatabase,
    rootModule: PaymentsModule.register(config),
    kafkaGroupId: SERVICE,
  });
}
