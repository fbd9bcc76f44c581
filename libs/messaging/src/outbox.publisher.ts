import { Inject, Injectable } from '@nestjs/common';
import {
  buildEnvelope,
  EventData,
  EventEnvelope,
  EventType,
  eventCatalogue,
} from '@scholarpay/contracts';
import { currentCorrelation, SERVICE_NAME } from '@scholarpay/platform';
import { EntityManager } from 'typeorm';

export interface OutgoingEvent<T extends EventType = EventType> {
  type: T;
  /** The aggregate id the event is about; it becomes the Kafka key and the envelope subject. */
  subject: string;
  data: EventData<T>;
}

/**
 * Writes events into the outbox inside the caller's transaction: they are published if and only
 * if that transaction commits. The data is validated against the contract first, so a bug that
 * produces a malformed event rolls the whole change back instead of poisoning consumers.
 */
@Injectable()
export class OutboxPublisher {
  constructor(@Inject(SERVICE_NAME) private readonly service: string) {}

  async publish<T extends EventType>(manager: EntityManager, event: OutgoingEvent<T>): Promise<EventEnvelope<EventData<T>>> {
    const [envelope] = await this.publishAll(manager, [event]);
    return envelope as EventEnvelope<EventData<T>>;
  }

  async publishAll(manager: EntityManager, events: OutgoingEvent[]): Promise<EventEnvelope[]> {
    if (events.length === 0) return [];
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxPublisher.publish must run inside the transaction that makes the state change');
    }
    const correlation = currentCorrelation();
    const rows = events.map((event) => {
      const definition = eventCatalogue[event.type];
      const data = definition.schema.parse(event.data);
      const envelope = buildEnvelope({
        source: `/scholarpay/${this.service}`,
        type: event.type,
        subject: event.subject,
        data,
        correlationId: correlation?.correlationId,
        causationId: correlation?.causationId,
      });
      return { eventId: envelope.id, topic: definition.topic, messageKey: event.subject, eventType: event.type, envelope };
    });
    // One statement per 500 events with array parameters: a bulk import writes thousands at once,
    // and this costs a fraction of TypeORM's per-row insert. The last one also notifies the relay
    // (delivered to its LISTEN only when, and if, the transaction commits): one round trip fewer
    // for every transaction that publishes.
    const schema = (manager.connection.options as { schema?: string }).schema ?? 'public';
    for (let start = 0; start < rows.length; start += 500) {
      const chunk = rows.slice(start, start + 500);
      const last = start + 500 >= rows.length;
      const insert = `INSERT INTO outbox_events (event_id, topic, message_key, event_type, envelope)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[])`;
      await manager.query(last ? `WITH inserted AS (${insert}) SELECT pg_notify($6, '')` : insert, [
        chunk.map((row) => row.eventId),
        chunk.map((row) => row.topic),
        chunk.map((row) => row.messageKey),
        chunk.map((row) => row.eventType),
        chunk.map((row) => JSON.stringify(row.envelope)),
        ...(last ? [outboxChannel(schema)] : []),
      ]);
    }
    return rows.map((row) => row.envelope);
  }
}

/** The LISTEN/NOTIFY channel that wakes a service's relay when its outbox gets rows. */
export function outboxChannel(schema: string): string {
  return `outbox_${schema}`;
}
