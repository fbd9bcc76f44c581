import { DynamicModule, Module } from '@nestjs/common';
import { createKafka, KAFKA } from './kafka-client';
import { DeadLetterPublisher } from './dead-letter.publisher';
import { InboxProcessor } from './inbox.processor';
import { OutboxPublisher } from './outbox.publisher';
import { OutboxRelay } from './outbox.relay';

export interface MessagingOptions {
  service: string;
  brokers: string;
  logLevel?: string;
}

/** Outbox (publish with the state change), relay (to Kafka), inbox (consume exactly once) and dead letters. */
@Module({})
export class MessagingModule {
  static forService(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: KAFKA, useFactory: () => createKafka(options.service, options.brokers, options.logLevel) },
        OutboxPublisher,
        OutboxRelay,
        DeadLetterPublisher,
        InboxProcessor,
      ],
      exports: [KAFKA, OutboxPublisher, OutboxRelay, InboxProcessor, DeadLetterPublisher],
    };
  }
}
