import { Injectable } from '@nestjs/common';
import { EventTypes } from '@scholarpay/contracts';
import { OutboxPublisher, type OutgoingEvent } from '@scholarpay/messaging';
import { MetricsService } from '@scholarpay/platform';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { lockStudents, ReadModelRepository } from '../read-model/read-model.repository';
import type { ExamSessionEntity } from '../sessions/exam-session.entity';
import { ExamResultRevisionEntity } from './exam-result-revision.entity';
import { ExamResultEntity, type ResultSource } from './exam-result.entity';
import { ExamResultRepository, type ImportListing } from './exam-result.repository';
import { decideRecording, normaliseScore, type ResultValues } from './exam-result.rules';

/** One result to record; the score has been checked against the session's scale. */
export interface ResultEntry {
  readonly studentId: string;
  readonly passed: boolean;
  readonly score: number | null;
  readonly reason: string | null;
  /** Refuse the correction unless the result is still at this revision. */
  readonly expectedRevision?: number | null;
  /** The import record it came from (1 = first data record). */
  readonly importRecord?: number | null;
}

export interface RecordingContext {
  readonly session: ExamSessionEntity;
  readonly actor: string;
  readonly source: ResultSource;
  readonly importId: string | null;
}

export type EntryOutcome =
  | { readonly kind: 'recorded' | 'corrected' | 'unchanged'; readonly result: ExamResultEntity }
  | {
      readonly kind: 'reason_required' | 'conflicting_duplicate' | 'stale_revision';
      readonly result: ExamResultEntity;
    }
  | { readonly kind: 'student_unknown' };

/**
 * Records results inside the caller's transaction: the new or corrected result, its revision row,
 * its derived recipient status, and the exam-result-recorded event in the outbox, all committed
 * together or not at all. Used for one result typed in and for each batch of a CSV import.
 */
@Injectable()
export class ResultRecorder {
  private readonly recorded;

  constructor(
    private readonly results: ExamResultRepository,
    private readonly readModel: ReadModelRepository,
    private readonly outbox: OutboxPublisher,
    metrics: MetricsService,
  ) {
    this.recorded = metrics.counter('exam_results_recorded_total', 'Exam results by outcome of recording', [
      'outcome',
      'source',
    ]);
  }

  async record(
    manager: EntityManager,
    context: RecordingContext,
    entries: readonly ResultEntry[],
  ): Promise<EntryOutcome[]> {
    const { session } = context;
    const studentIds = [...new Set(entries.map((entry) => entry.studentId))];
    await lockStudents(manager, studentIds);
    const current = await this.results.findCurrentForUpdate(manager, session.id, studentIds);
    const students = await this.readModel.findStudents(manager, studentIds);
    const months = await this.readModel.stipendMonthsBefore(manager, studentIds, session.stipendCutoff);
    // Rows of the same import in earlier batches (committed, so also those before a crash) and,
    // as the loop goes, in this one.
    const listed =
      context.importId === null
        ? new Map<string, ResultValues>()
        : await this.results.findListedInImport(manager, context.importId, studentIds);
    const newlyListed: ImportListing[] = [];

    const now = new Date();
    const created: ExamResultEntity[] = [];
    const corrected = new Map<string, ExamResultEntity>();
    const revisions: ExamResultRevisionEntity[] = [];
    const events: OutgoingEvent[] = [];
    const outcomes: EntryOutcome[] = [];

    for (const entry of entries) {
      const student = students.get(entry.studentId);
      if (!student) {
        outcomes.push({ kind: 'student_unknown' });
        continue;
      }
      const existing = current.get(entry.studentId) ?? null;
      const score = normaliseScore(entry.score);
      const earlierInImport = listed.get(entry.studentId) ?? null;
      const decision = decideRecording(
        existing,
        { passed: entry.passed, score, reason: entry.reason, earlierInImport },
        entry.expectedRevision ?? null,
      );
      if (
        decision.kind === 'reason_required' ||
        decision.kind === 'conflicting_duplicate' ||
        decision.kind === 'stale_revision'
      ) {
        outcomes.push({ kind: decision.kind, result: existing! });
        continue;
      }
      if (context.importId !== null && earlierInImport === null) {
        listed.set(entry.studentId, { passed: entry.passed, score });
        newlyListed.push({
          studentId: entry.studentId,
          recordNumber: entry.importRecord ?? null,
          passed: entry.passed,
          score,
        });
      }
      if (decision.kind === 'unchanged') {
        outcomes.push({ kind: 'unchanged', result: existing! });
        continue;
      }
      const stipendMonths = months.get(entry.studentId) ?? 0;
      const result: ExamResultEntity =
        decision.kind === 'create'
          ? Object.assign(new ExamResultEntity(), {
              id: randomUUID(),
              sessionId: session.id,
              studentId: entry.studentId,
              firstRecordedAt: now,
              recipient: stipendMonths > 0,
              stipendMonths,
              studentKnown: true,
              schoolCode: student.schoolCode,
              regionOfOrigin: student.regionOfOrigin,
              intakeYear: student.intakeYear,
            })
          : existing!;
      Object.assign(result, {
        passed: entry.passed,
        score,
        revision: decision.revision,
        recordedBy: context.actor,
        recordedAt: now,
        reason: entry.reason,
        source: context.source,
        importId: context.importId,
      });
      if (decision.kind === 'create') created.push(result);
      else corrected.set(result.id, result);
      current.set(entry.studentId, result);
      revisions.push(
        Object.assign(new ExamResultRevisionEntity(), {
          resultId: result.id,
          revision: decision.revision,
          passed: result.passed,
          score,
          recordedBy: context.actor,
          recordedAt: now,
          reason: entry.reason,
          source: context.source,
          importId: context.importId,
          importRecord: entry.importRecord ?? null,
        }),
      );
      events.push({
        type: EventTypes.examResultRecorded,
        subject: entry.studentId,
        data: {
          resultId: result.id,
          sessionId: session.id,
          sessionCode: session.code,
          examDate: session.examDate,
          studentId: entry.studentId,
          passed: result.passed,
          score,
          revision: decision.revision,
          recordedBy: context.actor,
        },
      });
      outcomes.push({ kind: decision.kind === 'create' ? 'recorded' : 'corrected', result });
    }

    // A result created and corrected within the same batch is inserted once, in its final state.
    await this.results.insertResults(manager, created);
    for (const result of corrected.values()) {
      if (!created.includes(result)) await this.results.saveCorrection(manager, result);
    }
    await this.results.appendRevisions(manager, revisions);
    if (context.importId !== null)
      await this.results.addListedInImport(manager, context.importId, newlyListed);
    await this.outbox.publishAll(manager, events);
    for (const outcome of outcomes) this.recorded.inc({ outcome: outcome.kind, source: context.source });
    return outcomes;
  }
}
