import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Ranking } from '../rules/ranking';
import type { RuleSet } from '../rules/rule-set';
import { queryRows, toSafeNumber } from '../shared/sql';
import { ProgrammeEntity, ProgrammeRuleVersionEntity } from './programme.entity';

interface ProgrammeRow extends Omit<ProgrammeEntity, 'monthlyStipend' | 'budget' | 'committedAmount'> {
  monthlyStipend: string;
  budget: string;
  committedAmount: string;
}

const columns = `programme_id AS "programmeId", code, name, monthly_stipend AS "monthlyStipend", first_month AS "firstMonth",
  last_month AS "lastMonth", budget, max_awards AS "maxAwards", rules, ranking, rules_version AS "rulesVersion", version,
  awards_held AS "awardsHeld", committed_amount AS "committedAmount", created_by AS "createdBy", created_at AS "createdAt",
  updated_by AS "updatedBy", updated_at AS "updatedAt"`;

function toEntity(row: ProgrammeRow): ProgrammeEntity {
  return Object.assign(new ProgrammeEntity(), {
    ...row,
    monthlyStipend: toSafeNumber(row.monthlyStipend),
    budget: toSafeNumber(row.budget),
    committedAmount: toSafeNumber(row.committedAmount),
  });
}

@Injectable()
export class ProgrammeRepository {
  async insert(manager: EntityManager, programme: ProgrammeEntity, reason: string): Promise<void> {
    await manager.insert(ProgrammeEntity, programme);
    await this.recordRuleVersion(manager, programme, reason);
  }

  async codeExists(manager: EntityManager, code: string): Promise<boolean> {
    const rows = await queryRows(manager, 'SELECT 1 FROM programmes WHERE code = $1', [code]);
    return rows.length > 0;
  }

  async findById(manager: EntityManager, programmeId: string): Promise<ProgrammeEntity | null> {
    const rows = await queryRows<ProgrammeRow>(
      manager,
      `SELECT ${columns} FROM programmes WHERE programme_id = $1`,
      [programmeId],
    );
    return rows[0] ? toEntity(rows[0]) : null;
  }

  /**
   * The programme, locked until the caller's transaction ends. Every writer of a programme's
   * decisions and awards holds this lock, so places and budget are checked and spent one at a time.
   */
  async lock(manager: EntityManager, programmeId: string): Promise<ProgrammeEntity | null> {
    const rows = await queryRows<ProgrammeRow>(
      manager,
      `SELECT ${columns} FROM programmes WHERE programme_id = $1 FOR UPDATE`,
      [programmeId],
    );
    return rows[0] ? toEntity(rows[0]) : null;
  }

  /** Every programme, locked in id order (one order for every caller, so no two wait on each other). */
  async lockAll(manager: EntityManager): Promise<ProgrammeEntity[]> {
    const rows = await queryRows<ProgrammeRow>(
      manager,
      `SELECT ${columns} FROM programmes ORDER BY programme_id FOR UPDATE`,
    );
    return rows.map(toEntity);
  }

  async list(manager: EntityManager): Promise<ProgrammeEntity[]> {
    const rows = await queryRows<ProgrammeRow>(
      manager,
      `SELECT ${columns} FROM programmes ORDER BY created_at, programme_id`,
    );
    return rows.map(toEntity);
  }

  /**
   * Adds to the places and money the programme's awards hold, and updates `programme` to match. More
   * money is committed only within the budget, whatever the caller computed (the statement refuses
   * it), except for `moneyAlreadyOut`: a payout already made, which the budget must count even past
   * its end. The table's constraints refuse places beyond `maxAwards` and a negative commitment.
   */
  async adjustCommitments(
    manager: EntityManager,
    programme: ProgrammeEntity,
    awardsDelta: number,
    amountDelta: number,
    options: { moneyAlreadyOut?: boolean } = {},
  ): Promise<void> {
    if (awardsDelta === 0 && amountDelta === 0) return;
    const [row] = await queryRows<{ awardsHeld: number; committedAmount: string }>(
      manager,
      `UPDATE programmes SET awards_held = awards_held + $2, committed_amount = committed_amount + $3
        WHERE programme_id = $1 AND ($4::boolean OR $3::bigint <= 0 OR committed_amount + $3::bigint <= budget)
        RETURNING awards_held AS "awardsHeld", committed_amount AS "committedAmount"`,
      [programme.programmeId, awardsDelta, amountDelta, options.moneyAlreadyOut === true],
    );
    if (!row) {
      throw new Error(
        `committing ${amountDelta} XOF more would take programme ${programme.programmeId} past its budget`,
      );
    }
    programme.awardsHeld = row.awardsHeld;
    programme.committedAmount = toSafeNumber(row.committedAmount);
  }

  async replaceRules(
    manager: EntityManager,
    programme: ProgrammeEntity,
    change: { rules: RuleSet; ranking: Ranking | null; changedBy: string; reason: string },
  ): Promise<ProgrammeEntity> {
    const [row] = await queryRows<ProgrammeRow>(
      manager,
      `UPDATE programmes SET rules = $2, ranking = $3, rules_version = rules_version + 1, updated_by = $4, updated_at = now()
        WHERE programme_id = $1 RETURNING ${columns}`,
      [
        programme.programmeId,
        JSON.stringify(change.rules),
        change.ranking === null ? null : JSON.stringify(change.ranking),
        change.changedBy,
      ],
    );
    const updated = toEntity(row);
    await this.recordRuleVersion(manager, updated, change.reason);
    return updated;
  }

  async ruleVersions(manager: EntityManager, programmeId: string): Promise<ProgrammeRuleVersionEntity[]> {
    return manager.find(ProgrammeRuleVersionEntity, {
      where: { programmeId },
      order: { rulesVersion: 'DESC' },
    });
  }

  private async recordRuleVersion(
    manager: EntityManager,
    programme: ProgrammeEntity,
    reason: string,
  ): Promise<void> {
    await manager.insert(ProgrammeRuleVersionEntity, {
      programmeId: programme.programmeId,
      rulesVersion: programme.rulesVersion,
      rules: programme.rules,
      ranking: programme.ranking,
      reason,
      changedBy: programme.updatedBy,
      changedAt: programme.updatedAt,
    });
  }
}
