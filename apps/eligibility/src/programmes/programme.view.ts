import { AwardCapacity } from '../awards/award-capacity';
import { describeRanking, Ranking } from '../rules/ranking';
import type { RuleSet } from '../rules/rule-set';
import { ProgrammeEntity } from './programme.entity';
import type { YearMonth } from './year-month';

export interface ProgrammeView {
  programmeId: string;
  code: string;
  name: string;
  monthlyStipend: number;
  currency: 'XOF';
  firstMonth: string;
  lastMonth: string;
  budget: number;
  maxAwards: number | null;
  rules: RuleSet;
  ranking: Ranking | null;
  rankingInWords: string;
  rulesVersion: number;
  version: number;
  awardsHeld: number;
  committedAmount: number;
  remainingBudget: number;
  placesLeft: number | null;
  /** How many more awards could be made this month, and why not when none. */
  newAwards: {
    possible: number;
    startMonth: string | null;
    costPerAward: number;
    blockedBecause: string | null;
  };
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
}

export function programmeView(programme: ProgrammeEntity, currentMonth: YearMonth): ProgrammeView {
  const capacity = AwardCapacity.available(programme, programme, currentMonth);
  return {
    programmeId: programme.programmeId,
    code: programme.code,
    name: programme.name,
    monthlyStipend: programme.monthlyStipend,
    currency: 'XOF',
    firstMonth: programme.firstMonth,
    lastMonth: programme.lastMonth,
    budget: programme.budget,
    maxAwards: programme.maxAwards,
    rules: programme.rules,
    ranking: programme.ranking,
    rankingInWords: describeRanking(programme.ranking),
    rulesVersion: programme.rulesVersion,
    version: programme.version,
    awardsHeld: programme.awardsHeld,
    committedAmount: programme.committedAmount,
    remainingBudget: programme.budget - programme.committedAmount,
    placesLeft: capacity.placesLeft,
    newAwards: {
      possible: capacity.count,
      startMonth: capacity.startMonth,
      costPerAward: capacity.costPerAward,
      blockedBecause: capacity.reason ? AwardCapacity.describeNoCapacity(capacity.reason) : null,
    },
    createdBy: programme.createdBy,
    createdAt: programme.createdAt.toISOString(),
    updatedBy: programme.updatedBy,
    updatedAt: programme.updatedAt.toISOString(),
  };
}
