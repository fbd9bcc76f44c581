import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequireRoles, Roles } from '@scholarpay/auth';
import type { AuthenticatedUser } from '@scholarpay/auth';
import type { Page } from '../common/page.dto';
import { UuidPipe } from '../common/uuid-param.pipe';
import { CreateExamSessionUseCase } from './create-exam-session.use-case';
import { CreateExamSessionDto, ExamSessionResponse, ListExamSessionsQueryDto } from './dto/exam-session.dto';
import { ExamSessionRepository } from './exam-session.repository';

@ApiTags('exam sessions')
@Controller('exam-sessions')
export class ExamSessionsController {
  constructor(
    private readonly createSession: CreateExamSessionUseCase,
    private readonly sessions: ExamSessionRepository,
  ) {}

  @Post()
  @RequireRoles(Roles.evaluator)
  @ApiOperation({ summary: 'Create an exam session (code, name, date, cadre, score scale)' })
  async create(
    @Body() body: CreateExamSessionDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ExamSessionResponse> {
    const session = await this.createSession.execute({
      code: body.code,
      name: body.name,
      examDate: body.examDate,
      cadre: body.cadre,
      scoreScale: body.scoreScale ?? 20,
      actor: user.sub,
    });
    return ExamSessionResponse.of(session, 0);
  }

  @Get()
  @RequireRoles(Roles.evaluator, Roles.auditor, Roles.programmeAdmin)
  @ApiOperation({ summary: 'List exam sessions, most recent exam first' })
  async list(@Query() query: ListExamSessionsQueryDto): Promise<Page<ExamSessionResponse>> {
    const limit = query.limit ?? 100;
    const offset = query.offset ?? 0;
    const { items, total } = await this.sessions.list({ cadre: query.cadre, limit, offset });
    return { items: items.map((s) => ExamSessionResponse.of(s, s.resultCount)), total, limit, offset };
  }

  @Get(':sessionId')
  @RequireRoles(Roles.evaluator, Roles.auditor, Roles.programmeAdmin)
  @ApiOperation({ summary: 'One exam session with its number of results' })
  async get(@Param('sessionId', new UuidPipe('sessionId')) sessionId: string): Promise<ExamSessionResponse> {
    const session = await this.sessions.get(sessionId);
    return ExamSessionResponse.of(session, await this.sessions.resultCount(sessionId));
  }
}
