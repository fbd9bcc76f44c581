import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ExamResultRevisionEntity } from './exam-result-revision.entity';
import { numericToNumber } from '../common/numeric.transformer';
import { ExamResultEntity } from './exam-result.entity';
import type { ResultValues } from './exam-result.rules';

/** The first row of an import that listed a student, with the values it gave. */
export interface ImportListing extends ResultValues {
  readonly studentId: string;
  readonly recordNumber: number | null;
}

export interface ResultFilter {
  passed?: boolean;
  recipient?: boolean;
  limit: number;
  offset: number;
}

@Injectable()
export class ExamResultRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Current results of these students in the session, locked for update, by student id. */
  async findCurrentForUpdate(
    manager: EntityManager,
    sessionId: string,
    studentIds: readonly string[],
  ): Promise<Map<string, ExamResultEntity>> {
    if (studentIds.length === 0) return new Map();
    const results = await manager
      .createQueryBuilder(ExamResultEntity, 'r')
      .setLock('pessimistic_write')
      .where('r.session_id = :sessionId AND r.student_id IN (:...studentIds)', {
        sessionId,
        studentIds: [...studentIds],
      })
      .getMany();
    return new Map(results.map((result) => [result.studentId, result]));
  }

  async insertResults(manager: EntityManager, results: ExamResultEntity[]): Promise<void> {
    for (let start = 0; start < results.length; start += 500) {
      await manager.insert(ExamResultEntity, results.slice(start, start + 500) as never);
    }
  }

  async saveCorrection(manager: EntityManager, result: ExamResultEntity): Promise<void> {
    await manager.update(
      ExamResultEntity,
      { id: result.id },
      {
        passed: result.passed,
        score: result.score,
        revision: result.revision,
        recordedBy: result.recordedBy,
        recordedAt: result.recordedAt,
        reason: result.reason,
        source: result.source,
        importId: result.importId,
      },
    );
  }

  async appendRevisions(manager: EntityManager, revisions: ExamResultRevisionEntity[]): Promise<void> {
    for (let start = 0; start < revisions.length; start += 500) {
      await manager.insert(ExamResultRevisionEntity, revisions.slice(start, start + 500) as never);
    }
  }

  /** Values the first row of this import gave each of these students, for those it listed already. */
  async findListedInImport(
    manager: EntityManager,
    importId: string,
    studentIds: readonly string[],
  ): Promise<Map<string, ResultValues>> {
    if (studentIds.length === 0) return new Map();
    const rows = (await manager.query(
      `SELECT student_id, passed, score FROM exam_result_import_students WHERE import_id = $1 AND student_id = ANY($2::uuid[])`,
      [importId, [...studentIds]],
    )) as { student_id: string; passed: boolean; score: string | null }[];
    return new Map(
      rows.map((row) => [
        row.student_id,
        { passed: row.passed, score: numericToNumber.from(row.score) as number | null },
      ]),
    );
  }

  async addListedInImport(
    manager: EntityManager,
    importId: string,
    listings: readonly ImportListing[],
  ): Promise<void> {
    if (listings.length === 0) return;
    await manager.query(
      `INSERT INTO exam_result_import_students (import_id, student_id, record_number, passed, score)
       SELECT $1, * FROM unnest($2::uuid[], $3::int[], $4::boolean[], $5::numeric[])`,
      [
        importId,
        listings.map((listing) => listing.studentId),
        listings.map((listing) => listing.recordNumber),
        listings.map((listing) => listing.passed),
        listings.map((listing) => listing.score),
      ],
    );
  }

  async findInSession(sessionId: string, resultId: string): Promise<ExamResultEntity | null> {
    return this.dataSource.manager.findOne(ExamResultEntity, { where: { id: resultId, sessionId } });
  }

  /** Results of a session in a stable order (first recorded first). */
  async listForSession(
    sessionId: string,
    filter: ResultFilter,
  ): Promise<{ items: ExamResultEntity[]; total: number }> {
    const query = this.dataSource.manager
      .createQueryBuilder(ExamResultEntity, 'r')
      .where('r.session_id = :sessionId', { sessionId })
      .orderBy('r.first_recorded_at', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .limit(filter.limit)
      .offset(filter.offset);
    if (filter.passed !== undefined) query.andWhere('r.passed = :passed', { passed: filter.passed });
    if (filter.recipient !== undefined)
      query.andWhere('r.recipient = :recipient', { recipient: filter.recipient });
    const [items, total] = await query.getManyAndCount();
    return { items, total };
  }

  /** Every version of the result, oldest first. */
  async revisionsOf(resultId: string): Promise<ExamResultRevisionEntity[]> {
    return this.dataSource.manager.find(ExamResultRevisionEntity, {
      where: { resultId },
      order: { revision: 'ASC' },
    });
  }
}
