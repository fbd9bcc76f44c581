import { Kafka, logLevel } from 'kafkajs';
import { createLogger, kafkaLogCreator, parseBrokers } from '@scholarpay/platform';

export const KAFKA = Symbol('KAFKA');

export function createKafka(service: string, brokers: string, level = 'info', role = 'kafka'): Kafka {
  const logger = createLogger({ service, level }).child({ component: role });
  return new Kafka({
    clientId: `${service}-${role}`,
    brokers: parseBrokers(brokers),
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
    retry: { initialRetryTime: 300, retries: 10 },
  });
}
