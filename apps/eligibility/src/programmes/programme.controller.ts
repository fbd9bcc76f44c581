import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, RequireRoles, Roles, type AuthenticatedUser } from '@scholarpay/auth';
import { ReevaluationView } from '../reevaluation/reevaluation.view';
import { programmeReaders } from '../shared/roles';
import { UuidParam } from '../shared/uuid.pipe';
import { ChangeProgrammeRulesUseCase } from './change-programme-rules.use-case';
import { CreateProgrammeUseCase } from './create-programme.use-case';
import { ChangeRulesDto } from './dto/change-rules.dto';
import { CreateProgrammeDto } from './dto/create-programme.dto';
import { ProgrammeDetailView, ProgrammeQueries } from './programme-queries';
import type { ProgrammeView } from './programme.view';

@ApiTags('programmes')
@Controller('programmes')
export class ProgrammeController {
  constructor(
    private readonly createProgramme: CreateProgrammeUseCase,
    private readonly changeRules: ChangeProgrammeRulesUseCase,
    private readonly queries: ProgrammeQueries,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireRoles(Roles.programmeAdmin)
  @ApiOperation({
    summary: 'Create a programme; every known student is then decided against it in the background',
  })
  @ApiCreatedResponse({ description: 'The programme and the evaluation job deciding every student' })
  @ApiBadRequestResponse({
    description: 'A field, the rules or the ranking is invalid; each problem names its JSON path',
  })
  @ApiConflictResponse({ description: 'The code is taken (PROGRAMME.CODE_TAKEN)' })
  create(@Body() body: CreateProgrammeDto, @CurrentUser() user: AuthenticatedUser) {
    return this.createProgramme.execute(body, user);
  }

  @Get()
  @RequireRoles(...programmeReaders)
  @ApiOperation({ summary: 'List programmes with their places and budget' })
  list(): Promise<ProgrammeView[]> {
    return this.queries.list();
  }

  @Get(':id')
  @RequireRoles(...programmeReaders)
  @ApiOperation({ summary: 'One programme: terms, rules, figures, rule history and latest evaluation' })
  get(@Param('id', new UuidParam('id')) id: string): Promise<ProgrammeDetailView> {
    return this.queries.get(id);
  }

  @Put(':id/rules')
  @HttpCode(202)
  @RequireRoles(Roles.programmeAdmin)
  @ApiOperation({ summary: 'Replace the rules (and ranking); every student is re-decided in the background' })
  @ApiAcceptedResponse({ description: 'The evaluation job; poll its progressUrl' })
  @ApiBadRequestResponse({
    description: 'The rules or the ranking is invalid; each problem names its JSON path',
  })
  replaceRules(
    @Param('id', new UuidParam('id')) id: string,
    @Body() body: ChangeRulesDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ReevaluationView> {
    return this.changeRules.execute(id, body, user);
  }

  @Get(':id/evaluations')
  @RequireRoles(...programmeReaders)
  @ApiOperation({ summary: "The programme's latest evaluation jobs" })
  evaluations(@Param('id', new UuidParam('id')) id: string): Promise<ReevaluationView[]> {
    return this.queries.evaluations(id);
  }

  @Get(':id/evaluations/:jobId')
  @RequireRoles(...programmeReaders)
  @ApiOperation({ summary: 'Progress of an evaluation job: status, processed of total, what changed' })
  @ApiOkResponse({ description: 'The job' })
  evaluation(
    @Param('id', new UuidParam('id')) id: string,
    @Param('jobId', new UuidParam('jobId')) jobId: string,
  ): Promise<ReevaluationView> {
    return this.queries.evaluation(id, jobId);
  }
}
