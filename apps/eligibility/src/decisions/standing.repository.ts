import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AwardEntity } from '../awards/award.entity';
import { AwardRepository } from '../awards/award.repository';
import { OverrideEntity } from '../overrides/override.entity';
import { OverrideRepository } from '../overrides/override.repository';
import { queryRows, toSafeNumber } from '../shared/sql';
import type { StudentRecord } from '../students/student.repository';
import { DecisionRepository, DecisionState } from './decision.repository';

/** Where a student stands in one programme: what deciding them again starts from. */
export interface Standing {
  student: StudentRecord;
  decision: DecisionState | undefined;
  override: OverrideEntity | undefined;
  /** The live (active or suspended) award, if any. */
  award: AwardEntity | undefined;
}

interface StandingRow extends StudentRecord {
  dDecisionId: string | null;
  dEligible: boolean;
  dRulesEligible: boolean;
  dOverridden: boolean;
  dRulesVersion: number;
  dDecidedAt: Date;
  dEligibleSince: Date | null;
  oOverrideId: string | null;
  oDecision: 'eligible' | 'ineligible';
  oReason: string;
  oCreatedBy: string;
  oCreatedAt: Date;
  aAwardId: string | null;
  aVersion: number;
  aStatus: AwardEntity['status'];
  aMonthlyStipend: string;
  aFirstMonth: string;
  aLastMonth: string;
  aCommittedAmount: string;
  aAwardedAt: Date;
  aAwardedBy: string;
  aStatusReason: string;
  aStatusChangedBy: string;
  aStatusChangedAt: Date;
  aLastPaidMonth: string | null;
}

@Injectable()
export class StandingRepository {
  constructor(
    private readonly decisions: DecisionRepository,
    private readonly overrides: OverrideRepository,
    private readonly awards: AwardRepository,
  ) {}

  /** The standings of students already loaded (and held) by the caller. */
  async of(manager: EntityManager, programmeId: string, students: StudentRecord[]): Promise<Standing[]> {
    const ids = students.map((student) => student.studentId);
    const decisions = await this.decisions.findForStudents(manager, programmeId, ids);
    const overrides = await this.overrides.findInForce(manager, programmeId, ids);
    const awards = await this.awards.findLive(manager, programmeId, ids);
    return students.map((student) => ({
      student,
      decision: decisions.get(student.studentId),
      override: overrides.get(student.studentId),
      award: awards.get(student.studentId),
    }));
  }

  /**
   * The next students after `cursor` (keyset on student id) with their decision, override and live
   * award in the programme, in one query. The caller holds the programme's lock: a student event
   * changing one of these students waits for it, then decides again from what the caller commits.
   */
  async nextChunk(
    manager: EntityManager,
    programmeId: string,
    cursor: string | null,
    limit: number,
  ): Promise<Standing[]> {
    const rows = await queryRows<StandingRow>(
      manager,
      `SELECT s.student_id AS "studentId", s.version, s.first_name AS "firstName", s.last_name AS "lastName", s.sex,
         s.date_of_birth::text AS "dateOfBirth", s.region_of_origin AS "regionOfOrigin", s.school_id AS "schoolId",
         s.school_code AS "schoolCode", s.programme_of_study AS "programmeOfStudy", s.intake_year AS "intakeYear",
         s.has_phone AS "hasPhone", s.operator, s.status, s.enrolled_at AS "enrolledAt",
         d.decision_id AS "dDecisionId", d.eligible AS "dEligible", d.rules_eligible AS "dRulesEligible",
         d.overridden AS "dOverridden", d.rules_version AS "dRulesVersion", d.decided_at AS "dDecidedAt",
         d.eligible_since AS "dEligibleSince",
         o.override_id AS "oOverrideId", o.decision AS "oDecision", o.reason AS "oReason", o.created_by AS "oCreatedBy",
         o.created_at AS "oCreatedAt",
         a.award_id AS "aAwardId", a.version AS "aVersion", a.status AS "aStatus", a.monthly_stipend AS "aMonthlyStipend",
         a.first_month AS "aFirstMonth", a.last_month AS "aLastMonth", a.committed_amount AS "aCommittedAmount",
         a.awarded_at AS "aAwardedAt", a.awarded_by AS "aAwardedBy", a.status_reason AS "aStatusReason",
         a.status_changed_by AS "aStatusChangedBy", a.status_changed_at AS "aStatusChangedAt",
         a.last_paid_month AS "aLastPaidMonth"
       FROM students s
       LEFT JOIN decisions d ON d.programme_id = $1 AND d.student_id = s.student_id AND d.student_id > $2::uuid
       LEFT JOIN overrides o ON o.programme_id = $1 AND o.student_id = s.student_id AND o.superseded_at IS NULL
       LEFT JOIN awards a ON a.programme_id = $1 AND a.student_id = s.student_id AND a.status <> 'revoked'
         AND a.student_id > $2::uuid
       WHERE s.student_id > $2::uuid
       ORDER BY s.student_id
       LIMIT $3`,
      // The cursor bounds every joined index too: without it a merge join reads each index from its
      // start, and every chunk costs more than the one before.
      [programmeId, cursor ?? '00000000-0000-0000-0000-000000000000', limit],
    );
    return rows.map((row) => ({
      student: {
        studentId: row.studentId,
        version: row.version,
        firstName: row.firstName,
        lastName: row.lastName,
        sex: row.sex,
        dateOfBirth: row.dateOfBirth,
        regionOfOrigin: row.regionOfOrigin,
        schoolId: row.schoolId,
        schoolCode: row.schoolCode,
        programmeOfStudy: row.programmeOfStudy,
        intakeYear: row.intakeYear,
        hasPhone: row.hasPhone,
        operator: row.operator,
        status: row.status,
        enrolledAt: row.enrolledAt,
      },
      decision: row.dDecisionId
        ? {
            programmeId,
            studentId: row.studentId,
            decisionId: row.dDecisionId,
            eligible: row.dEligible,
            rulesEligible: row.dRulesEligible,
            overridden: row.dOverridden,
            rulesVersion: row.dRulesVersion,
            decidedAt: row.dDecidedAt,
            eligibleSince: row.dEligibleSince,
          }
        : undefined,
      override: row.oOverrideId
        ? Object.assign(new OverrideEntity(), {
            overrideId: row.oOverrideId,
            programmeId,
            studentId: row.studentId,
            decision: row.oDecision,
            reason: row.oReason,
            createdBy: row.oCreatedBy,
            createdAt: row.oCreatedAt,
            supersededAt: null,
          })
        : undefined,
      award: row.aAwardId
        ? Object.assign(new AwardEntity(), {
            awardId: row.aAwardId,
            programmeId,
            studentId: row.studentId,
            version: row.aVersion,
            status: row.aStatus,
            monthlyStipend: toSafeNumber(row.aMonthlyStipend),
            firstMonth: row.aFirstMonth,
            lastMonth: row.aLastMonth,
            committedAmount: toSafeNumber(row.aCommittedAmount),
            awardedAt: row.aAwardedAt,
            awardedBy: row.aAwardedBy,
            statusReason: row.aStatusReason,
            statusChangedBy: row.aStatusChangedBy,
            statusChangedAt: row.aStatusChangedAt,
            revokedInMonth: null,
            // What a revocation keeps committed depends on the months already paid.
            lastPaidMonth: row.aLastPaidMonth,
          })
        : undefined,
    }));
  }
}
