import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { EventTypes, Topics } from '@scholarpay/contracts';
import { consumedMessageFrom, InboxProcessor } from '@scholarpay/messaging';
import { ApplyStudentSnapshotUseCase } from './apply-student-snapshot.use-case';

export const STUDENT_EVENTS_CONSUMER = 'eligibility.students';

/** Enrolment's student events, applied exactly once each (inbox) to the read model and the decisions. */
@Controller()
export class StudentEventsConsumer {
  constructor(
    private readonly inbox: InboxProcessor,
    private readonly applySnapshot: ApplyStudentSnapshotUseCase,
  ) {}

  @EventPattern(Topics.studentEvents)
  async handle(@Payload() _payload: unknown, @Ctx() context: KafkaContext): Promise<void> {
    const apply = (
      event: Parameters<ApplyStudentSnapshotUseCase['execute']>[0],
      manager: Parameters<ApplyStudentSnapshotUseCase['execute']>[1],
    ) => this.applySnapshot.execute(event, manager);
    await this.inbox.process(STUDENT_EVENTS_CONSUMER, consumedMessageFrom(context), {
      [EventTypes.studentRegistered]: apply,
      [EventTypes.studentUpdated]: apply,
      [EventTypes.studentStatusChanged]: apply,
    });
  }
}
