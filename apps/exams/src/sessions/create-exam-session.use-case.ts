import { Inject, Injectable, Logger } from '@nestjs/common';
import { SERVICE_CONFIG } from '@scholarpay/platform';
import { randomUUID } from 'node:crypto';
import type { ExamsConfig } from '../exams.config';
import type { ExamSessionEntity, ScoreScale } from './exam-session.entity';
import { ExamSessionRepository } from './exam-session.repository';

export interface CreateExamSessionCommand {
  code: string;
  name: string;
  examDate: string;
  cadre: string;
  scoreScale: ScoreScale;
  actor: string;
}

@Injectable()
export class CreateExamSessionUseCase {
  private readonly logger = new Logger(CreateExamSessionUseCase.name);

  constructor(
    private readonly sessions: ExamSessionRepository,
    @Inject(SERVICE_CONFIG) private readonly config: ExamsConfig,
  ) {}

  async execute(command: CreateExamSessionCommand): Promise<ExamSessionEntity> {
    const session = await this.sessions.create({
      id: randomUUID(),
      code: command.code.trim(),
      name: command.name.trim(),
      examDate: command.examDate,
      cadre: command.cadre.trim(),
      scoreScale: command.scoreScale,
      timeZone: this.config.EXAMS_TIME_ZONE,
      createdBy: command.actor,
    });
    this.logger.log(
      { sessionId: session.id, code: session.code, actor: command.actor },
      'exam session created',
    );
    return session;
  }
}
