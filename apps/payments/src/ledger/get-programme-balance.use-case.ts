import { Injectable } from '@nestjs/common';
import { AppError } from '@scholarpay/platform';
import { DataSource } from 'typeorm';
import { ReadModelRepository } from '../read-models/read-model.repository';
import { LedgerRepository } from './ledger.repository';
import { ProgrammeBalance, programmeBalanceFrom } from './ledger.rules';

export interface ProgrammeBalanceView extends ProgrammeBalance {
  programmeId: string;
  programmeCode: string;
  currency: 'XOF';
  /** funded = remaining + committed + inFlight + paid. */
  balanced: boolean;
}

/** Where a programme's money is, per the ledger: funded, remaining, committed, in flight, paid. */
@Injectable()
export class GetProgrammeBalanceUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerRepository,
    private readonly readModels: ReadModelRepository,
  ) {}

  async execute(programmeId: string): Promise<ProgrammeBalanceView> {
    const programme = await this.readModels.findProgramme(this.dataSource.manager, programmeId);
    if (!programme) throw AppError.notFound('LEDGER.UNKNOWN_PROGRAMME', `programme ${programmeId} is not known to payments`, { programmeId });
    const balance = programmeBalanceFrom(await this.ledger.programmeSums(this.dataSource.manager, programmeId));
    return { programmeId, programmeCode: programme.code, currency: 'XOF', ...balance };
  }
}
