import type { ProgrammeSnapshot } from '@scholarpay/contracts';
import type { ProgrammeEntity } from './programme.entity';

/** What payments learns of a programme: its terms, never its rules. */
export function programmeSnapshotOf(programme: ProgrammeEntity): ProgrammeSnapshot {
  return {
    programmeId: programme.programmeId,
    version: programme.version,
    code: programme.code,
    name: programme.name,
    monthlyStipend: programme.monthlyStipend,
    firstMonth: programme.firstMonth,
    lastMonth: programme.lastMonth,
    budget: programme.budget,
    maxAwards: programme.maxAwards,
  };
}
