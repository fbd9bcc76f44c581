import { migrateServiceSchema, ServiceDatabaseOptions } from '@scholarpay/database';
import { BaseServiceConfig } from '../config/service-config';
import { createServiceApp, RunningServiceApp, ServiceAppOptions } from './create-service-app';

export interface StartServiceOptions extends Omit<ServiceAppOptions, 'kafka' | 'logLevel' | 'host'> {
  config: BaseServiceConfig;
  database: Omit<ServiceDatabaseOptions, 'url'>;
  rootModule: unknown;
  /** The Kafka consumer group of this service's event handlers; omit for a service that consumes nothing. */
  kafkaGroupId?: string;
}

/** Migrates the service's schema (unless MIGRATE_ON_BOOT=false), then starts HTTP and Kafka consumers. */
export async function startService(options: StartServiceOptions): Promise<RunningServiceApp> {
  const { config } = options;
  if (config.MIGRATE_ON_BOOT) {
    await migrateServiceSchema({ ...options.database, url: config.DATABASE_URL });
  }
  return createServiceApp(options.rootModule, {
    ...options,
    host: config.HOST,
    logLevel: config.LOG_LEVEL,
    ...(options.kafkaGroupId ? { kafka: { brokers: config.KAFKA_BROKERS, groupId: options.kafkaGroupId } } : {}),
  });
}
