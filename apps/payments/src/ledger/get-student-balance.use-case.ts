import { Injectable } from '@nestjs/common';
import { AppError } from '@scholarpay/platform';
import { DataSource } from 'typeorm';
import { queryOne } from '../shared/sql';
import { LedgerRepository } from './ledger.repository';

interface StudentPosition {
  committed: number;
  inFlight: number;
  paid: number;
}

export interface StudentBalanceView extends StudentPosition {
  studentId: string;
  currency: 'XOF';
  byProgramme: (StudentPosition & { programmeId: string })[];
}

/** A student's stipends per the ledger: committed (approved, not sent), in flight, paid; per programme and in total. */
@Injectable()
export class GetStudentBalanceUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerRepository,
  ) {}

  async execute(studentId: string): Promise<StudentBalanceView> {
    const sums = await this.ledger.studentSums(studentId);
    if (sums.length === 0) {
      const known = await queryOne(this.dataSource, `SELECT 1 FROM payees WHERE student_id = $1 UNION ALL SELECT 1 FROM awards WHERE student_id = $1 LIMIT 1`, [studentId]);
      if (!known) throw AppError.notFound('LEDGER.UNKNOWN_STUDENT', `student ${studentId} is not known to payments`, { studentId });
    }
    const byProgramme = new Map<string, StudentPosition & { programmeId: string }>();
    for (const sum of sums) {
      const entry = byProgramme.get(sum.programmeId) ?? { programmeId: sum.programmeId, committed: 0, inFlight: 0, paid: 0 };
      if (sum.accountType === 'student_payable') entry.committed += sum.balance;
      if (sum.accountType === 'provider_clearing') entry.inFlight += sum.balance;
      if (sum.accountType === 'provider_settled') entry.paid += sum.balance;
      byProgramme.set(sum.programmeId, entry);
    }
    const programmes = [...byProgramme.values()];
    return {
      studentId,
      currency: 'XOF',
      committed: programmes.reduce((total, entry) => total + entry.committed, 0),
      inFlight: programmes.reduce((total, entry) => total + entry.inFlight, 0),
      paid: programmes.reduce((total, entry) => total + entry.paid, 0),
      byProgramme: programmes,
    };
  }
}
