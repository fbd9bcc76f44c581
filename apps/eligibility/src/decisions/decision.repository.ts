import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { lastMonthCoveredSql } from '../awards/award.repository';
import { Ranking, rankingOrderBy } from '../rules/ranking';
import type { RuleOutcome } from '../rules/rule-explainer';
import { queryRows } from '../shared/sql';

/** A decision without its explanation: what deciding again needs to know. */
export interface DecisionState {
  programmeId: string;
  studentId: string;
  decisionId: string;
  eligible: boolean;
  rulesEligible: boolean;
  overridden: boolean;
  /** The rules version the decision was made (or last refreshed) under. */
  rulesVersion: number;
  decidedAt: Date;
  eligibleSince: Date | null;
}

/** A decision as stored and published: with every rule's outcome and the reasons it fails. */
export interface DecisionRecord extends DecisionState {
  outcomes: RuleOutcome[];
  failures: string[];
}

export interface DecisionHistoryRecord {
  decisionId: string;
  programmeId: string;
  studentId: string;
  eligible: boolean;
  rulesEligible: boolean;
  overridden: boolean;
  outcomes: RuleOutcome[];
  rulesVersion: number;
  cause: string;
  decidedBy: string;
  decidedAt: Date;
}

export interface WaitingStudent {
  studentId: string;
  overridden: boolean;
  /** The last month an earlier (revoked) award of the student in the programme covers, if any. */
  coveredThrough: string | null;
}

/**
 * Who waits for an award in a programme ($1, whose last month is $2): eligible, enrolled, without a
 * live award, and with a month left that no earlier award of theirs covers (a month is paid once).
 */
const waitingWhere = `d.programme_id = $1 AND d.eligible AND s.status = 'enrolled'
  AND NOT EXISTS (SELECT 1 FROM awards a WHERE a.programme_id = d.programme_id AND a.student_id = d.student_id
    AND (a.status <> 'revoked' OR ${lastMonthCoveredSql('a')} >= $2::text))`;

const stateColumns = `programme_id AS "programmeId", student_id AS "studentId", decision_id AS "decisionId", eligible,
  rules_eligible AS "rulesEligible", overridden, rules_version AS "rulesVersion", decided_at AS "decidedAt",
  eligible_since AS "eligibleSince"`;

@Injectable()
export class DecisionRepository {
  async findForStudents(
    manager: EntityManager,
    programmeId: string,
    studentIds: string[],
  ): Promise<Map<string, DecisionState>> {
    if (studentIds.length === 0) return new Map();
    const rows = await queryRows<DecisionState>(
      manager,
      `SELECT ${stateColumns} FROM decisions WHERE programme_id = $1 AND student_id = ANY($2::uuid[])`,
      [programmeId, studentIds],
    );
    return new Map(rows.map((row) => [row.studentId, row]));
  }

  async findForStudent(manager: EntityManager, studentId: string): Promise<DecisionState[]> {
    return queryRows<DecisionState>(manager, `SELECT ${stateColumns} FROM decisions WHERE student_id = $1`, [
      studentId,
    ]);
  }

  /** Writes new and changed decisions in one statement. */
  async saveAll(manager: EntityManager, decisions: DecisionState[]): Promise<void> {
    if (decisions.length === 0) return;
    await manager.query(
      `INSERT INTO decisions (programme_id, student_id, decision_id, eligible, rules_eligible, overridden, rules_version,
         decided_at, eligible_since)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::boolean[], $5::boolean[], $6::boolean[], $7::int[],
         $8::timestamptz[], $9::timestamptz[])
       ON CONFLICT (programme_id, student_id) DO UPDATE SET
         decision_id = EXCLUDED.decision_id, eligible = EXCLUDED.eligible, rules_eligible = EXCLUDED.rules_eligible,
         overridden = EXCLUDED.overridden, rules_version = EXCLUDED.rules_version, decided_at = EXCLUDED.decided_at,
         eligible_since = EXCLUDED.eligible_since`,
      [
        decisions.map((d) => d.programmeId),
        decisions.map((d) => d.studentId),
        decisions.map((d) => d.decisionId),
        decisions.map((d) => d.eligible),
        decisions.map((d) => d.rulesEligible),
        decisions.map((d) => d.overridden),
        decisions.map((d) => d.rulesVersion),
        decisions.map((d) => d.decidedAt),
        decisions.map((d) => d.eligibleSince),
      ],
    );
  }

  async recordHistory(manager: EntityManager, entries: DecisionHistoryRecord[]): Promise<void> {
    if (entries.length === 0) return;
    await manager.query(
      `INSERT INTO decision_history (decision_id, programme_id, student_id, eligible, rules_eligible, overridden, outcomes,
         rules_version, cause, decided_by, decided_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::boolean[], $5::boolean[], $6::boolean[], $7::jsonb[],
         $8::int[], $9::text[], $10::text[], $11::timestamptz[])`,
      [
        entries.map((e) => e.decisionId),
        entries.map((e) => e.programmeId),
        entries.map((e) => e.studentId),
        entries.map((e) => e.eligible),
        entries.map((e) => e.rulesEligible),
        entries.map((e) => e.overridden),
        entries.map((e) => JSON.stringify(e.outcomes)),
        entries.map((e) => e.rulesVersion),
        entries.map((e) => e.cause),
        entries.map((e) => e.decidedBy),
        entries.map((e) => e.decidedAt),
      ],
    );
  }

  async historyOf(
    manager: EntityManager,
    studentId: string,
    programmeId: string,
  ): Promise<DecisionHistoryRecord[]> {
    return queryRows<DecisionHistoryRecord>(
      manager,
      `SELECT decision_id AS "decisionId", programme_id AS "programmeId", student_id AS "studentId", eligible,
         rules_eligible AS "rulesEligible", overridden, outcomes, rules_version AS "rulesVersion", cause,
         decided_by AS "decidedBy", decided_at AS "decidedAt"
       FROM decision_history WHERE student_id = $1 AND programme_id = $2 ORDER BY decided_at DESC, decision_id LIMIT 50`,
      [studentId, programmeId],
    );
  }

  /**
   * The waiting list (see `waitingWhere`) in the programme's ranking order (then first eligible,
   * first enrolled, student id), with the months earlier awards cover.
   */
  async waitingList(
    manager: EntityManager,
    programme: { programmeId: string; lastMonth: string; ranking: Ranking | null },
    limit: number,
  ): Promise<WaitingStudent[]> {
    return queryRows<WaitingStudent>(
      manager,
      `SELECT d.student_id AS "studentId", d.overridden,
         (SELECT max(${lastMonthCoveredSql('e')}) FROM awards e
           WHERE e.programme_id = d.programme_id AND e.student_id = d.student_id) AS "coveredThrough"
         FROM decisions d JOIN students s ON s.student_id = d.student_id
        WHERE ${waitingWhere}
        ORDER BY ${rankingOrderBy(programme.ranking)}
        LIMIT $3`,
      [programme.programmeId, programme.lastMonth, limit],
    );
  }

  async countWaiting(
    manager: EntityManager,
    programme: { programmeId: string; lastMonth: string },
  ): Promise<number> {
    const [{ count }] = await queryRows<{ count: number }>(
      manager,
      `SELECT count(*)::int AS count FROM decisions d JOIN students s ON s.student_id = d.student_id
        WHERE ${waitingWhere}`,
      [programme.programmeId, programme.lastMonth],
    );
    return count;
  }

  async countEligible(
    manager: EntityManager,
    programmeId: string,
  ): Promise<{ decided: number; eligible: number }> {
    const [row] = await queryRows<{ decided: number; eligible: number }>(
      manager,
      `SELECT count(*)::int AS decided, count(*) FILTER (WHERE eligible)::int AS eligible FROM decisions WHERE programme_id = $1`,
      [programmeId],
    );
    return row;
  }
}
