import type { KafkaContext } from '@nestjs/microservices';
import type { ConsumedMessage } from './inbox.processor';

/** The parts of a Nest Kafka message the inbox needs. */
export function consumedMessageFrom(context: KafkaContext): ConsumedMessage {
  const message = context.getMessage();
  return {
    topic: context.getTopic(),
    partition: context.getPartition(),
    offset: message.offset,
    key: (message.key as string | Buffer | null) ?? null,
    value: message.value as unknown,
  };
}
