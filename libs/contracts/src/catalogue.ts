import { z } from 'zod';
import { awardChangedSchema, eligibilityDecidedSchema, programmeDefinedSchema } from './eligibility.events';
import { studentRegisteredSchema, studentStatusChangedSchema, studentUpdatedSchema } from './enrolment.events';
import { eventEnvelopeSchema, EventEnvelope } from './envelope';
import { examResultRecordedSchema } from './exams.events';
import { batchChangedSchema, payoutFailedSchema, payoutSucceededSchema } from './payments.events';
import { Topics } from './topics';

export const EventTypes = {
  studentRegistered: 'scholarpay.enrolment.student.registered.v1',
  studentUpdated: 'scholarpay.enrolment.student.updated.v1',
  studentStatusChanged: 'scholarpay.enrolment.student.status-changed.v1',
  programmeDefined: 'scholarpay.eligibility.programme.defined.v1',
  eligibilityDecided: 'scholarpay.eligibility.decided.v1',
  scholarshipAwarded: 'scholarpay.eligibility.scholarship.awarded.v1',
  scholarshipSuspended: 'scholarpay.eligibility.scholarship.suspended.v1',
  scholarshipRevoked: 'scholarpay.eligibility.scholarship.revoked.v1',
  scholarshipReinstated: 'scholarpay.eligibility.scholarship.reinstated.v1',
  batchSubmitted: 'scholarpay.payments.batch.submitted.v1',
  batchApproved: 'scholarpay.payments.batch.approved.v1',
  batchRejected: 'scholarpay.payments.batch.rejected.v1',
  batchCompleted: 'scholarpay.payments.batch.completed.v1',
  payoutSucceeded: 'scholarpay.payments.payout.succeeded.v1',
  payoutFailed: 'scholarpay.payments.payout.failed.v1',
  examResultRecorded: 'scholarpay.exams.result.recorded.v1',
} as const;

export type EventType = (typeof EventTypes)[keyof typeof EventTypes];

export interface EventDefinition {
  topic: string;
  /** What the Kafka key (and the envelope subject) is: the aggregate whose order matters. */
  keyedBy: string;
  producer: string;
  description: string;
  schema: z.ZodType;
}

/** Every event type, where it goes and what its data must hold. The docs/events.md catalogue is generated from this. */
export const eventCatalogue = {
  [EventTypes.studentRegistered]: {
    topic: Topics.studentEvents,
    keyedBy: 'studentId',
    producer: 'enrolment',
    description: 'A student was enrolled (one by one or by CSV import).',
    schema: studentRegisteredSchema,
  },
  [EventTypes.studentUpdated]: {
    topic: Topics.studentEvents,
    keyedBy: 'studentId',
    producer: 'enrolment',
    description: "A student's record changed; `changes` lists each field's value before and after.",
    schema: studentUpdatedSchema,
  },
  [EventTypes.studentStatusChanged]: {
    topic: Topics.studentEvents,
    keyedBy: 'studentId',
    producer: 'enrolment',
    description: "A student's status changed (enrolled, suspended, withdrawn, graduated), with who and why.",
    schema: studentStatusChangedSchema,
  },
  [EventTypes.programmeDefined]: {
    topic: Topics.programmeEvents,
    keyedBy: 'programmeId',
    producer: 'eligibility',
    description: 'A scholarship programme was created or its terms changed (stipend, months, budget, places).',
    schema: programmeDefinedSchema,
  },
  [EventTypes.eligibilityDecided]: {
    topic: Topics.eligibilityEvents,
    keyedBy: 'studentId',
    producer: 'eligibility',
    description: "A student's eligibility for a programme was decided or changed, with every rule's outcome.",
    schema: eligibilityDecidedSchema,
  },
  [EventTypes.scholarshipAwarded]: {
    topic: Topics.awardEvents,
    keyedBy: 'studentId',
    producer: 'eligibility',
    description: 'A scholarship was awarded to an eligible student.',
    schema: awardChangedSchema,
  },
  [EventTypes.scholarshipSuspended]: {
    topic: Topics.awardEvents,
    keyedBy: 'studentId',
    producer: 'eligibility',
    description: 'An award was suspended (for example the student was suspended); no stipend is paid while suspended.',
    schema: awardChangedSchema,
  },
  [EventTypes.scholarshipRevoked]: {
    topic: Topics.awardEvents,
    keyedBy: 'studentId',
    producer: 'eligibility',
    description: 'An award was revoked (for example the student withdrew).',
    schema: awardChangedSchema,
  },
  [EventTypes.scholarshipReinstated]: {
    topic: Topics.awardEvents,
    keyedBy: 'studentId',
    producer: 'eligibility',
    description: 'A suspended award became active again.',
    schema: awardChangedSchema,
  },
  [EventTypes.batchSubmitted]: {
    topic: Topics.batchEvents,
    keyedBy: 'batchId',
    producer: 'payments',
    description: 'A payout batch was submitted for approval by a finance preparer.',
    schema: batchChangedSchema,
  },
  [EventTypes.batchApproved]: {
    topic: Topics.batchEvents,
    keyedBy: 'batchId',
    producer: 'payments',
    description: 'A payout batch was approved by a finance approver other than its preparer.',
    schema: batchChangedSchema,
  },
  [EventTypes.batchRejected]: {
    topic: Topics.batchEvents,
    keyedBy: 'batchId',
    producer: 'payments',
    description: 'A payout batch was rejected, with the reason.',
    schema: batchChangedSchema,
  },
  [EventTypes.batchCompleted]: {
    topic: Topics.batchEvents,
    keyedBy: 'batchId',
    producer: 'payments',
    description: 'Every line of a payout batch reached a final state; carries the summary.',
    schema: batchChangedSchema,
  },
  [EventTypes.payoutSucceeded]: {
    topic: Topics.payoutEvents,
    keyedBy: 'studentId',
    producer: 'payments',
    description: "A student's monthly stipend was credited to their mobile-money wallet.",
    schema: payoutSucceededSchema,
  },
  [EventTypes.payoutFailed]: {
    topic: Topics.payoutEvents,
    keyedBy: 'studentId',
    producer: 'payments',
    description: 'A stipend payout failed permanently, with the provider reason code.',
    schema: payoutFailedSchema,
  },
  [EventTypes.examResultRecorded]: {
    topic: Topics.examResultEvents,
    keyedBy: 'studentId',
    producer: 'exams',
    description: 'A certification exam result was recorded or corrected (`revision` grows with each correction).',
    schema: examResultRecordedSchema,
  },
} satisfies Record<EventType, EventDefinition>;

/** The data type of an event type, as its schema says. */
export type EventData<T extends EventType> = z.infer<(typeof eventCatalogue)[T]['schema']>;

export function isKnownEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(eventCatalogue, type);
}

export function topicOf(type: EventType): string {
  return eventCatalogue[type].topic;
}

export type EventValidationResult =
  | { ok: true; event: EventEnvelope }
  | { ok: false; reason: string };

/** Validates the envelope and the data against the schema of its type. A consumer calls this before acting. */
export function validateEvent(raw: unknown): EventValidationResult {
  const envelope = eventEnvelopeSchema.safeParse(raw);
  if (!envelope.success) {
    return { ok: false, reason: `invalid envelope: ${describeIssues(envelope.error)}` };
  }
  const type = envelope.data.type;
  if (!isKnownEventType(type)) {
    return { ok: false, reason: `unknown event type "${type}"` };
  }
  const data = eventCatalogue[type].schema.safeParse(envelope.data.data);
  if (!data.success) {
    return { ok: false, reason: `invalid data for ${type}: ${describeIssues(data.error)}` };
  }
  return { ok: true, event: { ...envelope.data, data: data.data } };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
