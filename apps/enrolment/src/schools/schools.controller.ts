import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequireRoles, Roles } from '@scholarpay/auth';
import type { AuthenticatedUser } from '@scholarpay/auth';
import { uuidParam } from '../common/uuid-param.pipe';
import { CreateSchoolUseCase } from './create-school.use-case';
import { CreateSchoolDto, SchoolListResource, SchoolResource } from './dto/create-school.dto';
import { GetSchoolUseCase } from './get-school.use-case';
import { ListSchoolsUseCase } from './list-schools.use-case';
import { toSchoolResource } from './school.resource';

@ApiTags('schools')
@Controller('schools')
export class SchoolsController {
  constructor(
    private readonly createSchool: CreateSchoolUseCase,
    private readonly listSchools: ListSchoolsUseCase,
    private readonly getSchool: GetSchoolUseCase,
  ) {}

  @Post()
  @RequireRoles(Roles.programmeAdmin)
  @ApiOperation({ summary: 'Add a school (programme administrators); 409 if the code is taken' })
  @ApiCreatedResponse({ type: SchoolResource })
  async create(
    @Body() body: CreateSchoolDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<SchoolResource> {
    return toSchoolResource(await this.createSchool.execute(body, user));
  }

  @Get()
  @RequireRoles(Roles.programmeAdmin, Roles.schoolAdmin, Roles.auditor, Roles.evaluator)
  @ApiOperation({ summary: 'List schools (a school administrator sees their own)' })
  @ApiOkResponse({ type: SchoolListResource })
  async list(@CurrentUser() user: AuthenticatedUser): Promise<SchoolListResource> {
    return { items: (await this.listSchools.execute(user)).map(toSchoolResource) };
  }

  @Get(':id')
  @RequireRoles(Roles.programmeAdmin, Roles.schoolAdmin, Roles.auditor, Roles.evaluator)
  @ApiOperation({ summary: 'One school' })
  @ApiOkResponse({ type: SchoolResource })
  async get(
    @Param('id', uuidParam()) id: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<SchoolResource> {
    return toSchoolResource(await this.getSchool.execute(id, user));
  }
}
