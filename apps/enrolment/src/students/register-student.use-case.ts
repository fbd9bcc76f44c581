import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@scholarpay/auth';
import { EventTypes } from '@scholarpay/contracts';
import { OutboxPublisher } from '@scholarpay/messaging';
import { MetricsService } from '@scholarpay/platform';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { mustPass } from '../common/rule-result';
import { SchoolRepository } from '../schools/school.repository';
import { schoolCodeRule } from '../schools/school.rules';
import { CreateStudentDto } from './dto/create-student.dto';
import { StudentAccessPolicy } from './student-access.policy';
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
import { searchTextOf, toStudentSnapshot } from './student.record';
import { StudentRepository } from './student.repository';
import { StudentErrors } from './students.errors';

/** Enrols one student: checks, stores version 1 with its first status entry, announces it. */
@Injectable()
export class RegisterStudentUseCase {
  private readonly registered;

  constructor(
    private readonly dataSource: DataSource,
    private readonly students: StudentRepository,
    private readonly schools: SchoolRepository,
    private readonly outbox: OutboxPublisher,
    metrics: MetricsService,
  ) {
    this.registered = metrics.counter('enrolment_students_registered_total', 'Students registered', [
      'source',
    ]);
  }

  async execute(command: CreateStudentDto, actor: AuthenticatedUser): Promise<StudentEntity> {
    const dateOfBirth = mustPass(dateOfBirthRule(command.dateOfBirth));
    const problems: { field: string; problem: string }[] = [];
    const tooYoung = ageAtEnrolmentProblem(dateOfBirth, command.intakeYear);
    if (tooYoung) problems.push({ field: 'dateOfBirth', problem: tooYoung });
    if (command.operator && !command.phone)
      problems.push({ field: 'operator', problem: 'is given but there is no phone number' });
    if (problems.length) throw StudentErrors.invalidFields(problems);

    const schoolCode = mustPass(schoolCodeRule(command.schoolCode));
    const school = await this.schools.findByCode(schoolCode);
    if (!school) throw StudentErrors.unknownSchool(schoolCode);
    if (!StudentAccessPolicy.canWrite(actor, school.id)) throw StudentErrors.schoolForbidden(school.code);

    const phone = command.phone ? mustPass(phoneRule(command.phone)) : null;
    const now = new Date();
    const firstName = mustPass(nameRule(command.firstName));
    const lastName = mustPass(nameRule(command.lastName));
    const student = Object.assign(new StudentEntity(), {
      id: randomUUID(),
      version: 1,
      nationalId: mustPass(nationalIdRule(command.nationalId)),
      firstName,
      lastName,
      searchText: searchTextOf({ firstName, lastName }),
      sex: command.sex,
      dateOfBirth,
      regionOfOrigin: mustPass(regionRule(command.regionOfOrigin)),
      schoolId: school.id,
      schoolCode: school.code,
      programmeOfStudy: mustPass(programmeRule(command.programmeOfStudy)),
      intakeYear: command.intakeYear,
      phone: phone?.e164 ?? null,
      operator: resolveOperator({
        phone: phone?.e164 ?? null,
        inferred: phone?.inferredOperator ?? null,
        explicit: command.operator,
        previousPhone: null,
        previousOperator: null,
      }),
      status: 'enrolled' as const,
      enrolledAt: now,
      createdBy: actor.sub,
      updatedBy: actor.sub,
      createdAt: now,
      updatedAt: now,
    });

    try {
      await this.dataSource.transaction(async (manager) => {
        const existing = await this.students.findNationalIdHolder(manager, student.nationalId);
        if (existing) throw StudentErrors.nationalIdTaken(holderSeenBy(actor, existing));
        if (student.phone) {
          const holder = await this.students.findActivePhoneHolder(manager, student.phone, null);
          if (holder) throw StudentErrors.phoneTaken(holderSeenBy(actor, holder), null);
        }
        await this.students.insertMany(manager, [student]);
        await this.students.appendStatusHistory(manager, [
          {
            studentId: student.id,
            fromStatus: null,
            toStatus: 'enrolled',
            reason: 'registered',
            changedBy: actor.sub,
            changedAt: now,
          },
        ]);
        await this.outbox.publish(manager, {
          type: EventTypes.studentRegistered,
          subject: student.id,
          data: { student: toStudentSnapshot(student) },
        });
      });
    } catch (error) {
      await translateUniqueViolation(error, {
        dataSource: this.dataSource,
        students: this.students,
        actor,
        studentId: null,
        nationalId: student.nationalId,
        phone: student.phone,
      });
    }
    this.registered.inc({ source: 'api' });
    return student;
  }
}
