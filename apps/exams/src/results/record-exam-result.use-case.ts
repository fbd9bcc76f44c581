import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ExamSessionRepository } from '../sessions/exam-session.repository';
import type { ExamResultEntity } from './exam-result.entity';
import { scoreProblem } from './exam-result.rules';
import { ExamResultErrors } from './exam-results.errors';
import { ResultRecorder, type EntryOutcome } from './result-recorder';
import { StudentResolver } from './student-resolver';

export interface RecordExamResultCommand {
  sessionId: string;
  studentId?: string | null;
  nationalId?: string | null;
  passed: boolean;
  score: number | null;
  reason: string | null;
  actor: string;
}

export interface RecordingResult {
  outcome: 'recorded' | 'corrected' | 'unchanged';
  result: ExamResultEntity;
}

/** Records one result typed in by an evaluator; the same values again change nothing, other values need a reason. */
@Injectable()
export class RecordExamResultUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: ExamSessionRepository,
    private readonly students: StudentResolver,
    private readonly recorder: ResultRecorder,
  ) {}

  async execute(command: RecordExamResultCommand): Promise<RecordingResult> {
    const session = await this.sessions.get(command.sessionId);
    const problem = scoreProblem(command.score, session.scoreScale);
    if (problem) throw ExamResultErrors.invalidScore(problem);
    const studentId = await this.students.resolve(command);
    const [outcome] = await this.dataSource.transaction((manager) =>
      this.recorder.record(manager, { session, actor: command.actor, source: 'entry', importId: null }, [
        { studentId, passed: command.passed, score: command.score, reason: command.reason },
      ]),
    );
    return toRecordingResult(outcome, command.nationalId ? 'nationalId' : 'studentId');
  }
}

export function toRecordingResult(
  outcome: EntryOutcome,
  studentField: 'studentId' | 'nationalId',
  expectedRevision?: number,
): RecordingResult {
  switch (outcome.kind) {
    case 'recorded':
    case 'corrected':
    case 'unchanged':
      return { outcome: outcome.kind, result: outcome.result };
    case 'student_unknown':
      throw ExamResultErrors.studentUnknown(studentField);
    case 'reason_required':
    case 'conflicting_duplicate':
      throw ExamResultErrors.reasonRequired(outcome.result.id, outcome.result.revision);
    case 'stale_revision':
      throw ExamResultErrors.staleRevision(outcome.result.id, outcome.result.revision, expectedRevision ?? 0);
  }
}
