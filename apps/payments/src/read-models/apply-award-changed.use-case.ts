import { Injectable } from '@nestjs/common';
import type { EventData, EventTypes } from '@scholarpay/contracts';
import type { EntityManager } from 'typeorm';
import { ReadModelRepository } from './read-model.repository';

type AwardChanged = EventData<typeof EventTypes.scholarshipAwarded>;

/** Awarded, suspended, revoked or reinstated: the award's snapshot replaces an older one. */
@Injectable()
export class ApplyAwardChangedUseCase {
  constructor(private readonly readModels: ReadModelRepository) {}

  async execute(data: AwardChanged, manager: EntityManager): Promise<void> {
    await this.readModels.upsertAward(manager, data.award, data.reason);
  }
}
