import type { AwardSnapshot } from '@scholarpay/contracts';
import type { AwardEntity } from './award.entity';

export function awardSnapshot(award: AwardEntity, programmeCode: string): AwardSnapshot {
  return {
    awardId: award.awardId,
    version: award.version,
    programmeId: award.programmeId,
    programmeCode,
    studentId: award.studentId,
    monthlyStipend: award.monthlyStipend,
    firstMonth: award.firstMonth,
    lastMonth: award.lastMonth,
    status: award.status,
    awardedAt: award.awardedAt.toISOString(),
    // The month the revoked award still commits; payments pays it if the revocation is undone within it.
    ...(award.status === 'revoked' && award.revokedInMonth !== null
      ? { revokedInMonth: award.revokedInMonth }
      : {}),
  };
}
