import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@scholarpay/auth';
import { EventTypes } from '@scholarpay/contracts';
import { OutboxPublisher } from '@scholarpay/messaging';
import { DataSource } from 'typeorm';
import { mustPass } from '../common/rule-result';
import { SchoolRepository } from '../schools/school.repository';
import { schoolCodeRule } from '../schools/school.rules';
import { UpdateStudentDto } from './dto/update-student.dto';
import { StudentAccessPolicy } from './student-access.policy';
import { changeReasonRule, fieldsNeedingAReason } from './student-change.rules';
import { holderSeenBy, translateUniqueViolation } from './student-conflicts';
import { StudentEntity } from './student.entity';
import {
  ageAtEnrolmentProblem,
  dateOfBirthRule,
  nameRule,
  nationalIdRule,
  phoneRule,
  programmeRule,
  regionRule,
  resolveOperator,
} from './student-fields.rules';
import {
  diffStudentFields,
  fieldsOf,
  searchTextOf,
  StudentFields,
  toStudentSnapshot,
} from './student.record';
import { StudentRepository } from './student.repository';
import { isActiveStatus } from './student.state-machine';
import { StudentErrors } from './students.errors';

export interface UpdateStudentResult {
  student: StudentEntity;
  changed: boolean;
}

/**
 * Corrects a student's record. The student is locked for the change; only fields whose value really
 * differs count, so sending the same values again changes nothing and announces nothing. Each change
 * is kept in `student_changes` (before and after, who, when, why) in the same transaction; a change of
 * the phone, national id or school needs a reason.
 */
@Injectable()
export class UpdateStudentUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly students: StudentRepository,
    private readonly schools: SchoolRepository,
    private readonly outbox: OutboxPublisher,
  ) {}

  async execute(id: string, patch: UpdateStudentDto, actor: AuthenticatedUser): Promise<UpdateStudentResult> {
    const { reason: givenReason, ...fieldsPatch } = patch;
    const given = Object.entries(fieldsPatch).filter(([, value]) => value !== undefined);
    if (given.length === 0) throw StudentErrors.nothingToChange();
    const reason = givenReason === undefined ? null : mustPass(changeReasonRule(givenReason));
    let attempted: StudentFields | null = null;
    try {
      return await this.dataSource.transaction(async (manager) => {
        const student = await this.students.lockById(manager, id);
        if (!student) throw StudentErrors.notFound(id);
        if (!StudentAccessPolicy.canWrite(actor, student.schoolId)) throw StudentErrors.forbidden();

        const before = fieldsOf(student);
        const after = await this.apply(before, patch, actor);
        attempted = after;
        const changes = diffStudentFields(before, after);
        if (Object.keys(changes).length === 0) return { student, changed: false };
        const needReason = fieldsNeedingAReason(changes);
        if (needReason.length > 0 && reason === null) throw StudentErrors.reasonRequired(needReason);

        if (changes.nationalId) {
          const other = await this.students.findNationalIdHolder(manager, after.nationalId);
          if (other && other.id !== student.id)
            throw StudentErrors.nationalIdTaken(holderSeenBy(actor, other));
        }
        if (changes.phone && after.phone && isActiveStatus(student.status)) {
          const holder = await this.students.findActivePhoneHolder(manager, after.phone, student.id);
          if (holder) throw StudentErrors.phoneTaken(holderSeenBy(actor, holder), student.id);
        }
        const now = new Date();
        Object.assign(student, after, {
          searchText: searchTextOf(after),
          version: student.version + 1,
          updatedBy: actor.sub,
          updatedAt: now,
        });
        await this.students.updateMany(manager, [student]);
        await this.students.appendChanges(manager, [
          {
            studentId: student.id,
            version: student.version,
            changes,
            reason,
            changedBy: actor.sub,
            changedAt: now,
          },
        ]);
        await this.outbox.publish(manager, {
          type: EventTypes.studentUpdated,
          subject: student.id,
          data: {
            student: toStudentSnapshot(student),
            changes,
            changedBy: actor.sub,
            ...(reason === null ? {} : { reason }),
          },
        });
        return { student, changed: true };
      });
    } catch (error) {
      const fields = attempted as StudentFields | null;
      return translateUniqueViolation(error, {
        dataSource: this.dataSource,
        students: this.students,
        actor,
        studentId: id,
        nationalId: fields?.nationalId ?? '',
        phone: fields?.phone ?? null,
      });
    }
  }

  /** The record with the patch applied, every value in its stored form; cross-field rules checked. */
  private async apply(
    before: StudentFields,
    patch: UpdateStudentDto,
    actor: AuthenticatedUser,
  ): Promise<StudentFields> {
    const after: StudentFields = { ...before };
    if (patch.nationalId !== undefined) after.nationalId = mustPass(nationalIdRule(patch.nationalId));
    if (patch.firstName !== undefined) after.firstName = mustPass(nameRule(patch.firstName));
    if (patch.lastName !== undefined) after.lastName = mustPass(nameRule(patch.lastName));
    if (patch.sex !== undefined) after.sex = patch.sex;
    if (patch.dateOfBirth !== undefined) after.dateOfBirth = mustPass(dateOfBirthRule(patch.dateOfBirth));
    if (patch.regionOfOrigin !== undefined) after.regionOfOrigin = mustPass(regionRule(patch.regionOfOrigin));
    if (patch.programmeOfStudy !== undefined)
      after.programmeOfStudy = mustPass(programmeRule(patch.programmeOfStudy));
    if (patch.intakeYear !== undefined) after.intakeYear = patch.intakeYear;

    const problems: { field: string; problem: string }[] = [];
    if (patch.dateOfBirth !== undefined || patch.intakeYear !== undefined) {
      const tooYoung = ageAtEnrolmentProblem(after.dateOfBirth, after.intakeYear);
      if (tooYoung)
        problems.push({
          field: patch.dateOfBirth !== undefined ? 'dateOfBirth' : 'intakeYear',
          problem: tooYoung,
        });
    }
    if (patch.phone !== undefined || patch.operator !== undefined) {
      const parsed =
        patch.phone === undefined
          ? undefined
          : patch.phone === null
            ? null
            : mustPass(phoneRule(patch.phone));
      const phone = parsed === undefined ? before.phone : (parsed?.e164 ?? null);
      if (patch.operator && phone === null)
        problems.push({ field: 'operator', problem: 'is given but the student has no phone number' });
      after.phone = phone;
      after.operator = resolveOperator({
        phone,
        inferred: parsed === undefined ? inferredFor(phone, before) : (parsed?.inferredOperator ?? null),
        explicit: patch.operator,
        previousPhone: before.phone,
        previousOperator: before.operator,
      });
    }
    if (problems.length) throw StudentErrors.invalidFields(problems);

    if (patch.schoolCode !== undefined) {
      const code = mustPass(schoolCodeRule(patch.schoolCode));
      if (code !== before.schoolCode) {
        const school = await this.schools.findByCode(code);
        if (!school) throw StudentErrors.unknownSchool(code);
        if (!StudentAccessPolicy.canWrite(actor, school.id)) throw StudentErrors.schoolForbidden(school.code);
        after.schoolId = school.id;
        after.schoolCode = school.code;
      }
    }
    return after;
  }
}

/** The operator the stored number's prefix gives (for `operator: null` without a new number). */
function inferredFor(phone: string | null, before: StudentFields): StudentFields['operator'] {
  if (phone === null) return null;
  const parsed = phoneRule(phone);
  return parsed.ok ? parsed.value.inferredOperator : before.operator;
}
