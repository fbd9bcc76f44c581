import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@scholarpay/auth';
import { DataSource } from 'typeorm';
import { ProgrammeRepository } from '../programmes/programme.repository';
import { ProgrammeErrors } from '../programmes/programmes.errors';
import { seesScholarIdentity } from '../shared/roles';
import { decodeAwardCursor, encodeAwardCursor } from './award-cursor';
import type { ListAwardsQuery } from './dto/list-awards.query';
import { AwardRepository } from './award.repository';
import { AwardErrors } from './awards.errors';

export interface AwardListView {
  items: {
    awardId: string;
    studentId: string;
    /** Absent for evaluators (see `seesScholarIdentity`), as is `statusReason`. */
    firstName?: string;
    lastName?: string;
    schoolCode: string;
    status: string;
    version: number;
    monthlyStipend: number;
    firstMonth: string;
    lastMonth: string;
    committedAmount: number;
    awardedAt: string;
    awardedBy: string;
    statusReason?: string;
    statusChangedBy: string;
    statusChangedAt: string;
  }[];
  nextCursor: string | null;
}

/** A programme's awards, page by page, in the order they were made. */
@Injectable()
export class ListProgrammeAwardsUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly programmes: ProgrammeRepository,
    private readonly awards: AwardRepository,
  ) {}

  async execute(
    programmeId: string,
    query: ListAwardsQuery,
    user: AuthenticatedUser,
  ): Promise<AwardListView> {
    const identified = seesScholarIdentity(user.roles);
    const manager = this.dataSource.manager;
    if (!(await this.programmes.findById(manager, programmeId))) throw ProgrammeErrors.notFound(programmeId);
    const limit = query.limit ? Number(query.limit) : 100;
    const after = query.cursor ? decodeAwardCursor(query.cursor) : null;
    if (query.cursor && after === null) throw AwardErrors.badCursor();
    const rows = await this.awards.pageForProgramme(manager, programmeId, {
      status: query.status ?? null,
      after,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((award) => ({
        awardId: award.awardId,
        studentId: award.studentId,
        ...(identified ? { firstName: award.firstName, lastName: award.lastName } : {}),
        schoolCode: award.schoolCode,
        status: award.status,
        version: award.version,
        monthlyStipend: award.monthlyStipend,
        firstMonth: award.firstMonth,
        lastMonth: award.lastMonth,
        committedAmount: award.committedAmount,
        awardedAt: award.awardedAt.toISOString(),
        awardedBy: award.awardedBy,
        ...(identified ? { statusReason: award.statusReason } : {}),
        statusChangedBy: award.statusChangedBy,
        statusChangedAt: award.statusChangedAt.toISOString(),
      })),
      nextCursor: rows.length > limit && last ? encodeAwardCursor(last.awardedAt, last.awardId) : null,
    };
  }
}
