/**
 * Topics are per stream and versioned: a breaking change to a stream gets a new topic, so old
 * and new consumers can run side by side while they migrate.
 */
export const Topics = {
  studentEvents: 'enrolment.student.v1',
  programmeEvents: 'eligibility.programme.v1',
  eligibilityEvents: 'eligibility.decision.v1',
  awardEvents: 'eligibility.award.v1',
  batchEvents: 'payments.batch.v1',
  payoutEvents: 'payments.payout.v1',
  examResultEvents: 'exams.result.v1',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

/** Where a consumer parks an event it could not validate or process, with the reason in headers. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

/** Headers a dead-lettered message carries. */
export const DeadLetterHeaders = {
  reason: 'dlq-reason',
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  consumer: 'dlq-consumer',
  failedAt: 'dlq-failed-at',
} as const;
