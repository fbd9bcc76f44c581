import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { EventTypes, Topics, type EventEnvelope } from '@scholarpay/contracts';
import type { AwardSnapshot, StudentSnapshot } from '@scholarpay/contracts';
import { consumedMessageFrom, InboxProcessor } from '@scholarpay/messaging';
import type { EntityManager } from 'typeorm';
import { ApplyAwardChangeUseCase } from './apply-award-change.use-case';
import { ApplyStudentSnapshotUseCase } from './apply-student-snapshot.use-case';
import { RecordStipendPayoutUseCase } from './record-stipend-payout.use-case';
import type { StipendPayoutFact } from './read-model.repository';

/** Builds the recipient read model from enrolment, eligibility and payments events; each event applies once. */
@Controller()
export class ReadModelEventsConsumer {
  constructor(
    private readonly inbox: InboxProcessor,
    private readonly applyStudent: ApplyStudentSnapshotUseCase,
    private readonly applyAward: ApplyAwardChangeUseCase,
    private readonly recordPayout: RecordStipendPayoutUseCase,
  ) {}

  @EventPattern(Topics.studentEvents)
  async onStudentEvent(@Payload() _payload: unknown, @Ctx() context: KafkaContext): Promise<void> {
    const apply = (event: EventEnvelope<{ student: StudentSnapshot }>, manager: EntityManager) =>
      this.applyStudent.execute(event.data.student, manager);
    await this.inbox.process('exams.students', consumedMessageFrom(context), {
      [EventTypes.studentRegistered]: apply,
      [EventTypes.studentUpdated]: apply,
      [EventTypes.studentStatusChanged]: apply,
    });
  }

  @EventPattern(Topics.awardEvents)
  async onAwardEvent(@Payload() _payload: unknown, @Ctx() context: KafkaContext): Promise<void> {
    const apply = (event: EventEnvelope<{ award: AwardSnapshot }>, manager: EntityManager) =>
      this.applyAward.execute(event.data.award, manager);
    await this.inbox.process('exams.awards', consumedMessageFrom(context), {
      [EventTypes.scholarshipAwarded]: apply,
      [EventTypes.scholarshipSuspended]: apply,
      [EventTypes.scholarshipRevoked]: apply,
      [EventTypes.scholarshipReinstated]: apply,
    });
  }

  @EventPattern(Topics.payoutEvents)
  async onPayoutEvent(@Payload() _payload: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.inbox.process('exams.payouts', consumedMessageFrom(context), {
      [EventTypes.payoutSucceeded]: (event: EventEnvelope<StipendPayoutFact>, manager) =>
        this.recordPayout.execute(event.data, manager),
    });
  }
}
