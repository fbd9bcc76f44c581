import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/**
 * The one envelope every event travels in: CloudEvents 1.0 attributes in structured mode, plus
 * two extension attributes (lower-case, as CloudEvents requires) that let a reader follow a
 * request through every service: `correlationid` is the id of the first request of the chain,
 * `causationid` the id of the event or request that caused this one.
 */
export const eventEnvelopeSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.uuid(),
  source: z.string().min(1),
  type: z.string().min(1),
  time: z.iso.datetime({ offset: true }),
  subject: z.string().min(1),
  datacontenttype: z.literal('application/json'),
  dataschema: z.string().optional(),
  correlationid: z.string().min(1),
  causationid: z.string().min(1).optional(),
  data: z.unknown(),
});

export type EventEnvelope<TData = unknown> = Omit<z.infer<typeof eventEnvelopeSchema>, 'data'> & { data: TData };

export interface NewEnvelopeInput<TData> {
  source: string;
  type: string;
  subject: string;
  data: TData;
  correlationId?: string;
  causationId?: string;
  id?: string;
  time?: Date;
}

export function buildEnvelope<TData>(input: NewEnvelopeInput<TData>): EventEnvelope<TData> {
  const id = input.id ?? randomUUID();
  return {
    specversion: '1.0',
    id,
    source: input.source,
    type: input.type,
    time: (input.time ?? new Date()).toISOString(),
    subject: input.subject,
    datacontenttype: 'application/json',
    dataschema: `urn:scholarpay:schema:${input.type}`,
    correlationid: input.correlationId ?? id,
    ...(input.causationId ? { causationid: input.causationId } : {}),
    data: input.data,
  };
}
