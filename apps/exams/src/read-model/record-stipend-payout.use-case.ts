import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { lockStudents, ReadModelRepository, type StipendPayoutFact } from './read-model.repository';

/** Counts a successful stipend payout once and updates the recipient status of the student's results. */
@Injectable()
export class RecordStipendPayoutUseCase {
  constructor(private readonly readModel: ReadModelRepository) {}

  async execute(payout: StipendPayoutFact, manager: EntityManager): Promise<void> {
    await lockStudents(manager, [payout.studentId]);
    const inserted = await this.readModel.recordPayout(manager, payout);
    if (inserted) await this.readModel.refreshResultExposure(manager, payout.studentId);
  }
}
