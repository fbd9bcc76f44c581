import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ExamSessionRepository } from '../sessions/exam-session.repository';
import { ExamResultRepository } from './exam-result.repository';
import { scoreProblem } from './exam-result.rules';
import { ExamResultErrors } from './exam-results.errors';
import { ResultRecorder } from './result-recorder';
import { toRecordingResult, type RecordingResult } from './record-exam-result.use-case';

export interface CorrectExamResultCommand {
  sessionId: string;
  resultId: string;
  passed?: boolean;
  /** undefined: keep the score; null: remove it. */
  score?: number | null;
  reason: string;
  expectedRevision?: number;
  actor: string;
}

/** Corrects a recorded result; the previous values stay in its revision history. */
@Injectable()
export class CorrectExamResultUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: ExamSessionRepository,
    private readonly results: ExamResultRepository,
    private readonly recorder: ResultRecorder,
  ) {}

  async execute(command: CorrectExamResultCommand): Promise<RecordingResult> {
    if (command.passed === undefined && command.score === undefined)
      throw ExamResultErrors.nothingToCorrect();
    const session = await this.sessions.get(command.sessionId);
    const result = await this.results.findInSession(command.sessionId, command.resultId);
    if (!result) throw ExamResultErrors.notFound(command.sessionId, command.resultId);
    const score = command.score === undefined ? result.score : command.score;
    const problem = scoreProblem(score, session.scoreScale);
    if (problem) throw ExamResultErrors.invalidScore(problem);
    const [outcome] = await this.dataSource.transaction((manager) =>
      this.recorder.record(manager, { session, actor: command.actor, source: 'entry', importId: null }, [
        {
          studentId: result.studentId,
          passed: command.passed ?? result.passed,
          score,
          reason: command.reason,
          expectedRevision: command.expectedRevision ?? null,
        },
      ]),
    );
    return toRecordingResult(outcome, 'studentId', command.expectedRevision);
  }
}
