import { DynamicModule, Module } from '@nestjs/common';
import { messagingEntities, messagingMigrations, MessagingModule } from '@scholarpay/messaging';
import { loadConfig, PlatformModule, RunningServiceApp, startService } from '@scholarpay/platform';
import { AwardEntity, AwardPaidMonthEntity, AwardTransitionEntity } from './awards/award.entity';
import { AwardsModule } from './awards/awards.module';
import { EligibilityTables1764100000000 } from './database/migrations/1764100000000-eligibility-tables';
import { DecisionExplanationsInHistoryOnly1764200000000 } from './database/migrations/1764200000000-decision-explanations-in-history-only';
import { AwardPaidMonths1764300000000 } from './database/migrations/1764300000000-award-paid-months';
import { DecisionEntity, DecisionHistoryEntity } from './decisions/decision.entity';
import { DecisionsModule } from './decisions/decisions.module';
import { EligibilityCoreModule } from './eligibility-core.module';
import { EligibilityConfig, eligibilityConfigSchema } from './eligibility.config';
import { OverrideEntity } from './overrides/override.entity';
import { OverridesModule } from './overrides/overrides.module';
import { ProgrammeEntity, ProgrammeRuleVersionEntity } from './programmes/programme.entity';
import { PayoutsModule } from './payouts/payouts.module';
import { ProgrammesModule } from './programmes/programmes.module';
import { ReevaluationJobEntity } from './reevaluation/reevaluation-job.entity';
import { Clock, systemClock } from './shared/clock';
import { StudentEntity } from './students/student.entity';
import { StudentsModule } from './students/students.module';

export { eligibilityConfigSchema, type EligibilityConfig };

export const SERVICE = 'eligibility';

export const eligibilityDatabase = {
  schema: 'eligibility',
  entities: [
    ...messagingEntities,
    StudentEntity,
    ProgrammeEntity,
    ProgrammeRuleVersionEntity,
    DecisionEntity,
    DecisionHistoryEntity,
    OverrideEntity,
    AwardEntity,
    AwardTransitionEntity,
    AwardPaidMonthEntity,
    ReevaluationJobEntity,
  ],
  migrations: [
    ...messagingMigrations,
    EligibilityTables1764100000000,
    DecisionExplanationsInHistoryOnly1764200000000,
    AwardPaidMonths1764300000000,
  ],
};

@Module({})
export class EligibilityModule {
  static register(config: EligibilityConfig, options: { clock?: Clock } = {}): DynamicModule {
    return {
      module: EligibilityModule,
      imports: [
        PlatformModule.forService({ service: SERVICE, config, database: eligibilityDatabase }),
        MessagingModule.forService({
          service: SERVICE,
          brokers: config.KAFKA_BROKERS,
          logLevel: config.LOG_LEVEL,
        }),
        EligibilityCoreModule.forRoot({ clock: options.clock ?? systemClock }),
        ProgrammesModule,
        AwardsModule,
        OverridesModule,
        DecisionsModule,
        StudentsModule,
        PayoutsModule,
      ],
    };
  }
}

/**
 * Starts the eligibility service: migrations, HTTP on its port, the consumers of enrolment's student
 * events and payments' payouts (group `eligibility`), the outbox relay and the re-evaluation workers. Tests pass their own
 * environment, port 0 and, where the current month matters, a fixed clock.
 */
export async function startEligibilityService(
  env: Record<string, string | undefined> = process.env,
  overrides: { port?: number; clock?: Clock } = {},
): Promise<RunningServiceApp> {
  const config = loadConfig(SERVICE, eligibilityConfigSchema, env);
  return startService({
    service: SERVICE,
    title: 'ScholarPay eligibility',
    description:
      'Scholarship programmes, eligibility rules as data (json-rules-engine) explained in words, overrides, and awards made while places and budget last.',
    port: overrides.port ?? config.PORT,
    config,
    database: eligibilityDatabase,
    rootModule: EligibilityModule.register(config, { clock: overrides.clock }),
    kafkaGroupId: SERVICE,
  });
}
