import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@scholarpay/auth';
import { EventTypes } from '@scholarpay/contracts';
import { OutboxPublisher } from '@scholarpay/messaging';
import { DataSource } from 'typeorm';
import { mustPass } from '../common/rule-result';
import { ChangeStudentStatusDto } from './dto/change-student-status.dto';
import { StudentAccessPolicy } from './student-access.policy';
import { holderSeenBy, translateUniqueViolation } from './student-conflicts';
import { StudentEntity } from './student.entity';
import { toStudentSnapshot } from './student.record';
import { StudentRepository } from './student.repository';
import { checkStatusTransition, isActiveStatus } from './student.state-machine';
import { reasonRule } from './student-status.rules';
import { StudentErrors } from './students.errors';

/** Moves a student through the status machine, recording who, when and why, and announcing it. */
@Injectable()
export class ChangeStudentStatusUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly students: StudentRepository,
    private readonly outbox: OutboxPublisher,
  ) {}

  async execute(
    id: string,
    command: ChangeStudentStatusDto,
    actor: AuthenticatedUser,
  ): Promise<StudentEntity> {
    const reason = mustPass(reasonRule(command.reason));
    let phone: string | null = null;
    try {
      return await this.dataSource.transaction(async (manager) => {
        const student = await this.students.lockById(manager, id);
        if (!student) throw StudentErrors.notFound(id);
        if (!StudentAccessPolicy.canWrite(actor, student.schoolId)) throw StudentErrors.forbidden();
        const from = student.status;
        const to = command.status;
        const check = checkStatusTransition(from, to);
        if (!check.allowed) throw StudentErrors.statusTransition(from, to, check.reason);
        phone = student.phone;
        // A re-admitted student takes their number back only if no other active student holds it now.
        if (!isActiveStatus(from) && isActiveStatus(to) && student.phone) {
          const holder = await this.students.findActivePhoneHolder(manager, student.phone, student.id);
          if (holder) throw StudentErrors.phoneTaken(holderSeenBy(actor, holder), student.id);
        }
        const now = new Date();
        Object.assign(student, {
          status: to,
          version: student.version + 1,
          updatedBy: actor.sub,
          updatedAt: now,
        });
        await this.students.updateMany(manager, [student]);
        await this.students.appendStatusHistory(manager, [
          {
            studentId: student.id,
            fromStatus: from,
            toStatus: to,
            reason,
            changedBy: actor.sub,
            changedAt: now,
          },
        ]);
        await this.outbox.publish(manager, {
          type: EventTypes.studentStatusChanged,
          subject: student.id,
          data: { student: toStudentSnapshot(student), from, to, reason, changedBy: actor.sub },
        });
        return student;
      });
    } catch (error) {
      return translateUniqueViolation(error, {
        dataSource: this.dataSource,
        students: this.students,
        actor,
        studentId: id,
        nationalId: '',
        phone,
      });
    }
  }
}
