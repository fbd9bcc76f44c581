import { Body, Controller, Get, HttpStatus, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequireRoles, Roles } from '@scholarpay/auth';
import type { AuthenticatedUser } from '@scholarpay/auth';
import type { FastifyReply } from 'fastify';
import type { Page } from '../common/page.dto';
import { UuidPipe } from '../common/uuid-param.pipe';
import { ExamSessionRepository } from '../sessions/exam-session.repository';
import { CorrectExamResultUseCase } from './correct-exam-result.use-case';
import {
  CorrectExamResultDto,
  ExamResultResponse,
  ExamResultRevisionResponse,
  ListExamResultsQueryDto,
  RecordExamResultDto,
  RecordingResponse,
} from './dto/exam-result.dto';
import { ExamResultRepository } from './exam-result.repository';
import { ExamResultErrors } from './exam-results.errors';
import { RecordExamResultUseCase } from './record-exam-result.use-case';

@ApiTags('exam results')
@Controller('exam-sessions/:sessionId/results')
export class ExamResultsController {
  constructor(
    private readonly recordResult: RecordExamResultUseCase,
    private readonly correctResult: CorrectExamResultUseCase,
    private readonly sessions: ExamSessionRepository,
    private readonly results: ExamResultRepository,
  ) {}

  @Post()
  @RequireRoles(Roles.evaluator)
  @ApiOperation({
    summary: "Record a student's result (by studentId or nationalId)",
    description:
      '201 when recorded; 200 when the same values were already recorded (nothing changes) or when a reason was given and the result was corrected; 409 when a different result exists and no reason was given.',
  })
  @ApiCreatedResponse({ description: 'recorded' })
  @ApiOkResponse({ description: 'unchanged (the same values were recorded already) or corrected (a reason was given)' })
  @ApiConflictResponse({ description: 'a different result exists and no reason was given' })
  async record(
    @Param('sessionId', new UuidPipe('sessionId')) sessionId: string,
    @Body() body: RecordExamResultDto,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<RecordingResponse> {
    const recorded = await this.recordResult.execute({
      sessionId,
      studentId: body.studentId ?? null,
      nationalId: body.nationalId ?? null,
      passed: body.passed,
      score: body.score ?? null,
      reason: body.reason ?? null,
      actor: user.sub,
    });
    response.status(recorded.outcome === 'recorded' ? HttpStatus.CREATED : HttpStatus.OK);
    return { outcome: recorded.outcome, result: ExamResultResponse.of(recorded.result) };
  }

  @Get()
  @RequireRoles(Roles.evaluator, Roles.auditor, Roles.programmeAdmin)
  @ApiOperation({ summary: 'Results of the session, first recorded first' })
  async list(
    @Param('sessionId', new UuidPipe('sessionId')) sessionId: string,
    @Query() query: ListExamResultsQueryDto,
  ): Promise<Page<ExamResultResponse>> {
    await this.sessions.get(sessionId);
    const limit = query.limit ?? 100;
    const offset = query.offset ?? 0;
    const { items, total } = await this.results.listForSession(sessionId, {
      limit,
      offset,
      passed: query.passed,
      recipient: query.recipient,
    });
    return { items: items.map(ExamResultResponse.of), total, limit, offset };
  }

  @Get(':resultId')
  @RequireRoles(Roles.evaluator, Roles.auditor, Roles.programmeAdmin)
  @ApiOperation({ summary: 'One result' })
  async get(
    @Param('sessionId', new UuidPipe('sessionId')) sessionId: string,
    @Param('resultId', new UuidPipe('resultId')) resultId: string,
  ): Promise<ExamResultResponse> {
    const result = await this.results.findInSession(sessionId, resultId);
    if (!result) throw ExamResultErrors.notFound(sessionId, resultId);
    return ExamResultResponse.of(result);
  }

  @Patch(':resultId')
  @RequireRoles(Roles.evaluator)
  @ApiOperation({ summary: 'Correct a result, with a reason; the earlier values stay in its history' })
  async correct(
    @Param('sessionId', new UuidPipe('sessionId')) sessionId: string,
    @Param('resultId', new UuidPipe('resultId')) resultId: string,
    @Body() body: CorrectExamResultDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<RecordingResponse> {
    const corrected = await this.correctResult.execute({
      sessionId,
      resultId,
      passed: body.passed,
      score: body.score,
      reason: body.reason,
      expectedRevision: body.expectedRevision,
      actor: user.sub,
    });
    return { outcome: corrected.outcome, result: ExamResultResponse.of(corrected.result) };
  }

  @Get(':resultId/revisions')
  @RequireRoles(Roles.evaluator, Roles.auditor, Roles.programmeAdmin)
  @ApiOperation({ summary: 'Every version of the result, oldest first: who recorded it, when and why' })
  async revisions(
    @Param('sessionId', new UuidPipe('sessionId')) sessionId: string,
    @Param('resultId', new UuidPipe('resultId')) resultId: string,
  ): Promise<ExamResultRevisionResponse[]> {
    const result = await this.results.findInSession(sessionId, resultId);
    if (!result) throw ExamResultErrors.notFound(sessionId, resultId);
    return (await this.results.revisionsOf(resultId)).map(ExamResultRevisionResponse.of);
  }
}
