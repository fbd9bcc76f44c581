import { DynamicModule, Module } from '@nestjs/common';
import { MessagingModule, messagingEntities, messagingMigrations } from '@scholarpay/messaging';
import { loadConfig, PlatformModule, startService, type RunningServiceApp } from '@scholarpay/platform';
import { ExamsTables1764100000000 } from './database/migrations/1764100000000-exams-tables';
import { ExamResultCounts1764200000000 } from './database/migrations/1764200000000-exam-result-counts';
import { ExamResultImportStudents1764300000000 } from './database/migrations/1764300000000-exam-result-import-students';
import { EvaluationModule } from './evaluation/evaluation.module';
import { examsConfigSchema, type ExamsConfig } from './exams.config';
import { ExamResultImportEntity, ExamResultImportErrorEntity } from './imports/exam-result-import.entity';
import { ImportsModule } from './imports/imports.module';
import { AwardEntity, StipendPayoutEntity, StudentEntity } from './read-model/read-model.entities';
import { ReadModelModule } from './read-model/read-model.module';
import { ExamResultRevisionEntity } from './results/exam-result-revision.entity';
import { ExamResultEntity } from './results/exam-result.entity';
import { ResultsModule } from './results/results.module';
import { ExamSessionEntity } from './sessions/exam-session.entity';
import { SessionsModule } from './sessions/sessions.module';

export { examsConfigSchema, type ExamsConfig } from './exams.config';

export const SERVICE = 'exams';

export const examsDatabase = {
  schema: 'exams',
  entities: [
    ...messagingEntities,
    ExamSessionEntity,
    ExamResultEntity,
    ExamResultRevisionEntity,
    ExamResultImportEntity,
    ExamResultImportErrorEntity,
    StudentEntity,
    AwardEntity,
    StipendPayoutEntity,
  ],
  migrations: [
    ...messagingMigrations,
    ExamsTables1764100000000,
    ExamResultCounts1764200000000,
    ExamResultImportStudents1764300000000,
  ],
};

@Module({})
export class ExamsModule {
  static register(config: ExamsConfig): DynamicModule {
    return {
      module: ExamsModule,
      imports: [
        PlatformModule.forService({ service: SERVICE, config, database: examsDatabase }),
        MessagingModule.forService({
          service: SERVICE,
          brokers: config.KAFKA_BROKERS,
          logLevel: config.LOG_LEVEL,
        }),
        SessionsModule,
        ReadModelModule,
        ResultsModule,
        ImportsModule,
        EvaluationModule,
      ],
    };
  }
}

/** Loads the config, migrates the `exams` schema and serves HTTP on PORT (3004) and the Kafka consumers (group `exams`). */
export async function startExamsService(
  env: Record<string, string | undefined> = process.env,
  overrides: { port?: number } = {},
): Promise<RunningServiceApp> {
  const config = loadConfig(SERVICE, examsConfigSchema, env);
  return startService({
    service: SERVICE,
    title: 'ScholarPay exams',
    description:
      'Certification exam sessions and results (one by one or by CSV), the recipient read model built from enrolment, eligibility and payments events, and the evaluation of pass rates of scholarship recipients against non-recipients.',
    port: overrides.port ?? config.PORT,
    config,
    database: examsDatabase,
    rootModule: ExamsModule.register(config),
    kafkaGroupId: SERVICE,
  });
}
