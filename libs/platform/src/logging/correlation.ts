import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface CorrelationContext {
  /** The id of the first request of the chain; carried through HTTP and Kafka. */
  correlationId: string;
  /** The id of the request or event that caused the current work. */
  causationId?: string;
  /** Who caused it (the token's subject), for audit trails. */
  actor?: string;
}

const storage = new AsyncLocalStorage<CorrelationContext>();

export const CORRELATION_HEADER = 'x-correlation-id';

export function runWithCorrelation<T>(context: CorrelationContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentCorrelation(): CorrelationContext | undefined {
  return storage.getStore();
}

export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

/** A correlation id from an inbound header, if it is sane, or a new one. */
export function correlationIdFrom(header: unknown): string {
  if (typeof header === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(header)) return header;
  return randomUUID();
}
