import { Injectable } from '@nestjs/common';
import { CashinRepository } from './cashin.repository';
import { CashinErrors, parseReferenceId } from './cashins.errors';
import { presentVisibleTransaction, TransactionView } from './transaction.presenter';

/** The status of a cash-in by its X-Reference-Id. */
@Injectable()
export class GetCashinUseCase {
  constructor(private readonly cashins: CashinRepository) {}

  async execute(referenceIdParam: string): Promise<TransactionView> {
    const reference = parseReferenceId(referenceIdParam);
    if (!reference.ok) throw CashinErrors.invalidReferenceId(reference.problem);
    const record = await this.cashins.findByReferenceId(reference.value);
    if (!record) throw CashinErrors.notFound();
    return presentVisibleTransaction(record, Date.now());
  }
}
