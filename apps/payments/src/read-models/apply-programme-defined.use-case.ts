import { Injectable } from '@nestjs/common';
import type { EventData, EventTypes } from '@scholarpay/contracts';
import type { EntityManager } from 'typeorm';
import { LedgerRepository } from '../ledger/ledger.repository';
import { fundingPosting } from '../ledger/ledger.rules';
import { ReadModelRepository } from './read-model.repository';

/**
 * Keeps the latest definition of a programme and funds its budget account in the ledger: a new
 * version with a different budget posts the difference.
 */
@Injectable()
export class ApplyProgrammeDefinedUseCase {
  constructor(
    private readonly readModels: ReadModelRepository,
    private readonly ledger: LedgerRepository,
  ) {}

  async execute(data: EventData<typeof EventTypes.programmeDefined>, manager: EntityManager): Promise<void> {
    const { programme } = data;
    const applied = await this.readModels.upsertProgramme(manager, programme);
    if (!applied) return;
    // The programme row is locked by the upsert until commit, so concurrent definitions serialise here.
    const funded = await this.ledger.fundedSoFar(manager, programme.programmeId);
    const posting = fundingPosting(programme.programmeId, programme.version, programme.budget, funded);
    if (posting) await this.ledger.post(manager, [posting]);
  }
}
