import { Injectable, Logger } from '@nestjs/common';
import { EventEnvelope, EventType, validateEvent } from '@scholarpay/contracts';
import { isTransientDatabaseError, MetricsService, runWithCorrelation, scrubDatabaseError } from '@scholarpay/platform';
import { DataSource, EntityManager } from 'typeorm';
import { DeadLetterPublisher } from './dead-letter.publisher';

/** What a consumer needs of a Kafka message; Nest's KafkaContext gives all of it. */
export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | Buffer | null;
  /** Parsed JSON (Nest parses it), a string, or raw bytes. */
  value: unknown;
}

// The data was validated against the schema of its type before a handler runs; handlers are keyed by
// that type, so each reads it as the schema says.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EventHandler = (event: EventEnvelope<any>, manager: EntityManager) => Promise<void>;

/** Handlers by event type; a type not listed is skipped (the topic carries types this consumer ignores). */
export type EventHandlers = Partial<Record<EventType, EventHandler>>;

/** Thrown by a handler for an event that can never succeed (retrying will not help). */
export class UnprocessableEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnprocessableEventError';
  }
}

export interface InboxOptions {
  /** Attempts before the event is dead-lettered. */
  maxAttempts?: number;
  baseDelayMs?: number;
}

/**
 * The idempotent consumer. For each message: validate against the contract (invalid: dead-letter);
 * then, in one database transaction, record the event id in the inbox and apply the handler. A
 * redelivered event finds its id already there and changes nothing. The returned promise resolves
 * only after the commit, and kafkajs commits the offset only after that. Failures are retried with
 * backoff, then dead-lettered with the reason; nothing is dropped silently. A database that stays
 * unavailable is not the event's fault: the event is handed back to Kafka for redelivery instead.
 */
@Injectable()
export class InboxProcessor {
  private readonly logger = new Logger(InboxProcessor.name);
  private readonly outcomes;

  constructor(
    private readonly dataSource: DataSource,
    private readonly deadLetters: DeadLetterPublisher,
    metrics: MetricsService,
  ) {
    this.outcomes = metrics.counter('inbox_events_total', 'Consumed events by outcome', ['consumer', 'type', 'outcome']);
  }

  async process(consumer: string, message: ConsumedMessage, handlers: EventHandlers, options: InboxOptions = {}): Promise<void> {
    const raw = decodeValue(message.value);
    const validation = raw.ok ? validateEvent(raw.value) : { ok: false as const, reason: raw.reason };
    if (!validation.ok) {
      await this.deadLetter(consumer, message, validation.reason);
      this.outcomes.inc({ consumer, type: 'unknown', outcome: 'dead_lettered' });
      return;
    }
    const event = validation.event;
    const handler = handlers[event.type as EventType];
    if (!handler) {
      this.outcomes.inc({ consumer, type: event.type, outcome: 'ignored' });
      return;
    }
    const maxAttempts = options.maxAttempts ?? 5;
    const baseDelay = options.baseDelayMs ?? 200;
    for (let attempt = 1; ; attempt++) {
      try {
        const applied = await runWithCorrelation({ correlationId: event.correlationid, causationId: event.id }, () =>
          this.applyOnce(consumer, message, event, handler),
        );
        this.outcomes.inc({ consumer, type: event.type, outcome: applied ? 'applied' : 'duplicate' });
        return;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const permanent = error instanceof UnprocessableEventError;
        if (!permanent && attempt >= maxAttempts && isTransientDatabaseError(error)) {
          // The database is down or restarting: the event is fine and must not be parked (nothing
          // redrives dead letters by itself, and a lost award means a student never paid). The
          // error goes back to the Kafka consumer, which does not commit the offset and delivers
          // the event again after its own backoff, for as long as the outage lasts.
          scrubDatabaseError(error);
          this.logger.warn({ err: error, consumer, eventId: event.id, attempt }, 'the database is unavailable; the event will be delivered again');
          this.outcomes.inc({ consumer, type: event.type, outcome: 'redelivered' });
          throw error;
        }
        if (permanent || attempt >= maxAttempts) {
          await this.deadLetter(consumer, message, `${permanent ? 'unprocessable' : `failed after ${attempt} attempts`}: ${reason}`);
          this.outcomes.inc({ consumer, type: event.type, outcome: 'dead_lettered' });
          return;
        }
        scrubDatabaseError(error);
        this.logger.warn({ err: error, consumer, eventId: event.id, attempt }, 'event handler failed; retrying');
        await sleep(Math.min(baseDelay * 3 ** (attempt - 1), 10000));
      }
    }
  }

  private async applyOnce(consumer: string, message: ConsumedMessage, event: EventEnvelope, handler: EventHandler): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO inbox_events (consumer, event_id, event_type, topic, partition, "offset")
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING event_id`,
        [consumer, event.id, event.type, message.topic, message.partition, message.offset],
      );
      if (inserted.length === 0) return false;
      await handler(event, manager);
      return true;
    });
  }

  private async deadLetter(consumer: string, message: ConsumedMessage, reason: string): Promise<void> {
    await this.deadLetters.send({
      consumer,
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      key: message.key === null ? null : message.key.toString(),
      value: rawText(message.value),
      reason,
    });
  }
}

function decodeValue(value: unknown): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (value === null || value === undefined) return { ok: false, reason: 'the message has no value' };
  if (Buffer.isBuffer(value)) value = value.toString('utf8');
  if (typeof value === 'string') {
    try {
      return { ok: true, value: JSON.parse(value) };
    } catch {
      return { ok: false, reason: 'the message value is not JSON' };
    }
  }
  return { ok: true, value };
}

function rawText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
