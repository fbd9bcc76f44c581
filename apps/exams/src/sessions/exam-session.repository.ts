import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ExamSessionEntity, type ScoreScale } from './exam-session.entity';
import { ExamSessionErrors } from './exam-sessions.errors';

export interface NewExamSession {
  id: string;
  code: string;
  name: string;
  examDate: string;
  cadre: string;
  scoreScale: ScoreScale;
  timeZone: string;
  createdBy: string;
}

export interface ExamSessionWithCounts extends ExamSessionEntity {
  resultCount: number;
}

@Injectable()
export class ExamSessionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates the session; the stipend cutoff is the start of the exam day in the programme's time zone. */
  async create(session: NewExamSession): Promise<ExamSessionEntity> {
    // ON CONFLICT keeps a taken code from becoming a logged database error; the unique index still decides races.
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO exam_sessions (id, code, name, exam_date, cadre, score_scale, stipend_cutoff, created_by)
       VALUES ($1, $2, $3, $4::date, $5, $6, ($4::date)::timestamp AT TIME ZONE $7, $8)
       ON CONFLICT ((lower(code))) DO NOTHING
       RETURNING id`,
      [
        session.id,
        session.code,
        session.name,
        session.examDate,
        session.cadre,
        session.scoreScale,
        session.timeZone,
        session.createdBy,
      ],
    );
    if (inserted.length === 0) throw ExamSessionErrors.codeTaken(session.code);
    return this.get(session.id);
  }

  async findById(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ExamSessionEntity | null> {
    return manager.findOne(ExamSessionEntity, { where: { id } });
  }

  /** The session, or EXAM_SESSION.NOT_FOUND. */
  async get(id: string, manager?: EntityManager): Promise<ExamSessionEntity> {
    const session = await this.findById(id, manager);
    if (!session) throw ExamSessionErrors.notFound(id);
    return session;
  }

  async resultCount(sessionId: string): Promise<number> {
    const [{ count }] = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM exam_results WHERE session_id = $1`,
      [sessionId],
    );
    return count as number;
  }

  /** Most recent exam first. */
  async list(filter: {
    cadre?: string;
    limit: number;
    offset: number;
  }): Promise<{ items: ExamSessionWithCounts[]; total: number }> {
    const query = this.dataSource.manager
      .createQueryBuilder(ExamSessionEntity, 's')
      .orderBy('s.exam_date', 'DESC')
      .addOrderBy('s.code', 'ASC')
      .limit(filter.limit)
      .offset(filter.offset);
    if (filter.cadre) query.where('lower(s.cadre) = lower(:cadre)', { cadre: filter.cadre });
    const [sessions, total] = await query.getManyAndCount();
    const counts: { session_id: string; count: number }[] = sessions.length
      ? await this.dataSource.query(
          `SELECT session_id, count(*)::int AS count FROM exam_results WHERE session_id = ANY($1::uuid[]) GROUP BY session_id`,
          [sessions.map((s) => s.id)],
        )
      : [];
    const bySession = new Map(counts.map((row) => [row.session_id, row.count]));
    return { items: sessions.map((s) => Object.assign(s, { resultCount: bySession.get(s.id) ?? 0 })), total };
  }
}
