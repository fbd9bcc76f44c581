import { Injectable } from '@nestjs/common';
import type { AwardSnapshot } from '@scholarpay/contracts';
import type { EntityManager } from 'typeorm';
import { lockStudents, ReadModelRepository } from './read-model.repository';

/**
 * Keeps the award's latest snapshot and recomputes who is a recipient. A later suspension or
 * revocation does not undo stipends already paid before an exam: exposure is what was received.
 */
@Injectable()
export class ApplyAwardChangeUseCase {
  constructor(private readonly readModel: ReadModelRepository) {}

  async execute(award: AwardSnapshot, manager: EntityManager): Promise<void> {
    await lockStudents(manager, [award.studentId]);
    const applied = await this.readModel.applyAwardSnapshot(manager, award);
    if (applied) await this.readModel.refreshResultExposure(manager, award.studentId);
  }
}
