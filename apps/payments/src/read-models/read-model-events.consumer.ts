import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { EventTypes, Topics } from '@scholarpay/contracts';
import { consumedMessageFrom, EventHandler, InboxProcessor } from '@scholarpay/messaging';
import { ApplyAwardChangedUseCase } from './apply-award-changed.use-case';
import { ApplyProgrammeDefinedUseCase } from './apply-programme-defined.use-case';
import { ApplyStudentSnapshotUseCase } from './apply-student-snapshot.use-case';

/** Builds payments' read models from eligibility's and enrolment's events, each applied exactly once. */
@Controller()
export class ReadModelEventsConsumer {
  constructor(
    private readonly inbox: InboxProcessor,
    private readonly applyProgramme: ApplyProgrammeDefinedUseCase,
    private readonly applyAward: ApplyAwardChangedUseCase,
    private readonly applyStudent: ApplyStudentSnapshotUseCase,
  ) {}

  @EventPattern(Topics.programmeEvents)
  async onProgrammeEvent(@Payload() _payload: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.inbox.process('payments.programmes', consumedMessageFrom(context), {
      [EventTypes.programmeDefined]: (event, manager) => this.applyProgramme.execute(event.data, manager),
    });
  }

  @EventPattern(Topics.awardEvents)
  async onAwardEvent(@Payload() _payload: unknown, @Ctx() context: KafkaContext): Promise<void> {
    const apply: EventHandler = (event, manager) => this.applyAward.execute(event.data, manager);
    await this.inbox.process('payments.awards', consumedMessageFrom(context), {
      [EventTypes.scholarshipAwarded]: apply,
      [EventTypes.scholarshipSuspended]: apply,
      [EventTypes.scholarshipRevoked]: apply,
      [EventTypes.scholarshipReinstated]: apply,
    });
  }

  @EventPattern(Topics.studentEvents)
  async onStudentEvent(@Payload() _payload: unknown, @Ctx() context: KafkaContext): Promise<void> {
    const apply: EventHandler = (event, manager) => this.applyStudent.execute(event.data.student, manager);
    await this.inbox.process('payments.students', consumedMessageFrom(context), {
      [EventTypes.studentRegistered]: apply,
      [EventTypes.studentUpdated]: apply,
      [EventTypes.studentStatusChanged]: apply,
    });
  }
}
