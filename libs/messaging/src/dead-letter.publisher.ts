import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DeadLetterHeaders, deadLetterTopic } from '@scholarpay/contracts';
import { Kafka, Partitioners, Producer } from 'kafkajs';
import { KAFKA } from './kafka-client';

export interface DeadLetter {
  consumer: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** The message value exactly as it arrived. */
  value: string | null;
  reason: string;
}

/** Parks a message that could not be validated or processed on `<topic>.dlq`, with the reason. */
@Injectable()
export class DeadLetterPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(DeadLetterPublisher.name);
  private producer: Producer | null = null;
  private connecting: Promise<Producer> | null = null;

  constructor(@Inject(KAFKA) private readonly kafka: Kafka) {}

  async send(letter: DeadLetter): Promise<void> {
    const producer = await this.connected();
    await producer.send({
      topic: deadLetterTopic(letter.topic),
      acks: -1,
      messages: [
        {
          key: letter.key,
          value: letter.value,
          headers: {
            [DeadLetterHeaders.reason]: letter.reason.slice(0, 2000),
            [DeadLetterHeaders.originalTopic]: letter.topic,
            [DeadLetterHeaders.originalPartition]: String(letter.partition),
            [DeadLetterHeaders.originalOffset]: letter.offset,
            [DeadLetterHeaders.consumer]: letter.consumer,
            [DeadLetterHeaders.failedAt]: new Date().toISOString(),
          },
        },
      ],
    });
    this.logger.warn(
      { topic: letter.topic, partition: letter.partition, offset: letter.offset, consumer: letter.consumer, reason: letter.reason },
      'message sent to the dead-letter topic',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
  }

  private async connected(): Promise<Producer> {
    if (this.producer) return this.producer;
    this.connecting ??= (async () => {
      const producer = this.kafka.producer({ allowAutoTopicCreation: true, createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      this.producer = producer;
      return producer;
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }
}
