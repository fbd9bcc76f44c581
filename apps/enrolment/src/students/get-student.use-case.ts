import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@scholarpay/auth';
import { StudentAccessPolicy } from './student-access.policy';
import { StudentEntity, StudentStatusHistoryEntity } from './student.entity';
import { StudentRepository } from './student.repository';
import { StudentErrors } from './students.errors';

@Injectable()
export class GetStudentUseCase {
  constructor(private readonly students: StudentRepository) {}

  async execute(
    id: string,
    actor: AuthenticatedUser,
  ): Promise<{ student: StudentEntity; history: StudentStatusHistoryEntity[] }> {
    const student = await this.students.findById(id);
    if (!student) throw StudentErrors.notFound(id);
    if (!StudentAccessPolicy.canRead(actor, student.schoolId)) throw StudentErrors.forbidden();
    return { student, history: await this.students.statusHistoryOf(id) };
  }
}
