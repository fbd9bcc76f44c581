import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@scholarpay/auth';
import { AppError } from '@scholarpay/platform';
import { decodeCursor, encodeCursor, Page } from '../common/cursor';
import { foldForComparison } from '../common/text';
import { SchoolRepository } from '../schools/school.repository';
import { ListStudentsQuery } from './dto/list-students.query';
import { StudentAccessPolicy } from './student-access.policy';
import { StudentEntity } from './student.entity';
import { StudentRepository } from './student.repository';
import { StudentErrors } from './students.errors';

const DEFAULT_LIMIT = 50;

/** Students in enrolment order, filtered, one page at a time; a school administrator sees their schools only. */
@Injectable()
export class ListStudentsUseCase {
  constructor(
    private readonly students: StudentRepository,
    private readonly schools: SchoolRepository,
  ) {}

  async execute(query: ListStudentsQuery, actor: AuthenticatedUser): Promise<Page<StudentEntity>> {
    const afterSeq = decodeCursor(query.cursor);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const nameWords = query.q === undefined ? [] : foldForComparison(query.q).split(' ').filter(Boolean);
    if (query.q !== undefined && nameWords.length === 0) {
      throw AppError.validation('REQUEST.VALIDATION_FAILED', 'q must contain letters or digits', [
        { field: 'q', problem: 'must contain letters or digits' },
      ]);
    }

    let schoolIds: string[] | null = null;
    const requested = new Set<string>();
    if (query.schoolId) requested.add(query.schoolId);
    if (query.schoolCode) {
      const school = await this.schools.findByCode(query.schoolCode.trim().toUpperCase());
      if (!school) return { items: [], nextCursor: null };
      requested.add(school.id);
    }
    if (requested.size > 1) return { items: [], nextCursor: null };
    if (requested.size === 1) {
      schoolIds = [...requested];
      if (!StudentAccessPolicy.canRead(actor, schoolIds[0])) throw StudentErrors.forbidden();
    }
    const scope = StudentAccessPolicy.readableSchools(actor);
    if (scope !== 'all') schoolIds = schoolIds ?? scope;

    const rows = await this.students.list({
      schoolIds,
      status: query.status,
      intakeYear: query.intakeYear,
      nameWords,
      afterSeq,
      limit,
    });
    const items = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? encodeCursor(items[items.length - 1].seq) : null;
    return { items, nextCursor };
  }
}
