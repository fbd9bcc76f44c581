import { DynamicModule, Module } from '@nestjs/common';
import { messagingEntities, messagingMigrations, MessagingModule } from '@scholarpay/messaging';
import { loadConfig, PlatformModule, startService } from '@scholarpay/platform';
import type { RunningServiceApp } from '@scholarpay/platform';
import { EnrolmentSchema1764100000000 } from './database/migrations/1764100000000-enrolment-schema';
import { StudentChanges1764200000000 } from './database/migrations/1764200000000-student-changes';
import { EnrolmentConfig, enrolmentConfigSchema } from './enrolment.config';
import { StudentImportEntity, StudentImportRejectionEntity } from './imports/student-import.entity';
import { ImportsModule } from './imports/imports.module';
import { SchoolEntity } from './schools/school.entity';
import { SchoolsModule } from './schools/schools.module';
import { StudentChangeEntity, StudentEntity, StudentStatusHistoryEntity } from './students/student.entity';
import { StudentsModule } from './students/students.module';

export { enrolmentConfigSchema };
export type { EnrolmentConfig };

export const SERVICE = 'enrolment';

export const enrolmentDatabase = {
  schema: 'enrolment',
  entities: [
    ...messagingEntities,
    SchoolEntity,
    StudentEntity,
    StudentStatusHistoryEntity,
    StudentChangeEntity,
    StudentImportEntity,
    StudentImportRejectionEntity,
  ],
  migrations: [...messagingMigrations, EnrolmentSchema1764100000000, StudentChanges1764200000000],
};

@Module({})
export class EnrolmentModule {
  static register(config: EnrolmentConfig): DynamicModule {
    return {
      module: EnrolmentModule,
      imports: [
        PlatformModule.forService({ service: SERVICE, config, database: enrolmentDatabase }),
        MessagingModule.forService({
          service: SERVICE,
          brokers: config.KAFKA_BROKERS,
          logLevel: config.LOG_LEVEL,
        }),
        SchoolsModule,
        StudentsModule,
        ImportsModule,
      ],
    };
  }
}

/** Loads config, migrates the `enrolment` schema and serves HTTP. Enrolment only publishes, so it joins no consumer group. */
export async function startEnrolmentService(
  env: Record<string, string | undefined> = process.env,
  overrides: { port?: number } = {},
): Promise<RunningServiceApp> {
  const config = loadConfig(SERVICE, enrolmentConfigSchema, env);
  return startService({
    service: SERVICE,
    title: 'ScholarPay enrolment',
    description:
      'Schools and scholars: enrolment one by one or by CSV import, status history, student events.',
    port: overrides.port ?? config.PORT,
    config,
    database: enrolmentDatabase,
    rootModule: EnrolmentModule.register(config),
  });
}
