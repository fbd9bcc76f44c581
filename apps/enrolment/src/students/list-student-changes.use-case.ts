import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@scholarpay/auth';
import { decodeCursor, encodeCursor, Page } from '../common/cursor';
import { ListStudentChangesQuery } from './dto/list-student-changes.query';
import { StudentAccessPolicy } from './student-access.policy';
import { StudentChangeEntity } from './student.entity';
import { StudentRepository } from './student.repository';
import { StudentErrors } from './students.errors';

const DEFAULT_LIMIT = 50;

/** A student's corrections, oldest first, for those who may read the student. */
@Injectable()
export class ListStudentChangesUseCase {
  constructor(private readonly students: StudentRepository) {}

  async execute(
    id: string,
    query: ListStudentChangesQuery,
    actor: AuthenticatedUser,
  ): Promise<Page<StudentChangeEntity>> {
    const afterVersion = decodeCursor(query.cursor);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const student = await this.students.findById(id);
    if (!student) throw StudentErrors.notFound(id);
    if (!StudentAccessPolicy.canRead(actor, student.schoolId)) throw StudentErrors.forbidden();
    const rows = await this.students.changesOf(id, afterVersion, limit);
    const items = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? encodeCursor(items[items.length - 1].version) : null;
    return { items, nextCursor };
  }
}
