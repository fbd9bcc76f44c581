import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequireRoles, Roles } from '@scholarpay/auth';
import type { AuthenticatedUser } from '@scholarpay/auth';
import { uuidParam } from '../common/uuid-param.pipe';
import { ChangeStudentStatusUseCase } from './change-student-status.use-case';
import { ChangeStudentStatusDto } from './dto/change-student-status.dto';
import { CreateStudentDto } from './dto/create-student.dto';
import { ListStudentChangesQuery } from './dto/list-student-changes.query';
import { ListStudentsQuery } from './dto/list-students.query';
import {
  StudentChangePageResource,
  StudentDetailResource,
  StudentPageResource,
  StudentResource,
} from './dto/student.resource';
import { UpdateStudentDto } from './dto/update-student.dto';
import { GetStudentUseCase } from './get-student.use-case';
import { ListStudentChangesUseCase } from './list-student-changes.use-case';
import { ListStudentsUseCase } from './list-students.use-case';
import { RegisterStudentUseCase } from './register-student.use-case';
import { toStudentChangeResource, toStudentDetailResource, toStudentResource } from './student.mapper';
import { UpdateStudentUseCase } from './update-student.use-case';

// No evaluator: a student's record is personal data (payout phone, national id, birth date, status
// reasons) that comparing pass rates does not need; exams holds what evaluators use.
const readers = [Roles.programmeAdmin, Roles.schoolAdmin, Roles.auditor] as const;
const writers = [Roles.programmeAdmin, Roles.schoolAdmin] as const;

@ApiTags('students')
@Controller('students')
export class StudentsController {
  constructor(
    private readonly registerStudent: RegisterStudentUseCase,
    private readonly listStudents: ListStudentsUseCase,
    private readonly getStudent: GetStudentUseCase,
    private readonly listChanges: ListStudentChangesUseCase,
    private readonly updateStudent: UpdateStudentUseCase,
    private readonly changeStatus: ChangeStudentStatusUseCase,
  ) {}

  @Post()
  @RequireRoles(...writers)
  @ApiOperation({
    summary:
      'Enrol a student (409 if the national id is taken or the phone belongs to another active student)',
  })
  @ApiCreatedResponse({ type: StudentResource })
  async create(
    @Body() body: CreateStudentDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<StudentResource> {
    return toStudentResource(await this.registerStudent.execute(body, user));
  }

  @Get()
  @RequireRoles(...readers)
  @ApiOperation({
    summary: 'List students: filter by school, status, intake year and name; cursor pagination',
  })
  @ApiOkResponse({ type: StudentPageResource })
  async list(
    @Query() query: ListStudentsQuery,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<StudentPageResource> {
    const page = await this.listStudents.execute(query, user);
    return { items: page.items.map(toStudentResource), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @RequireRoles(...readers)
  @ApiOperation({ summary: 'One student with their status history' })
  @ApiOkResponse({ type: StudentDetailResource })
  async get(
    @Param('id', uuidParam()) id: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<StudentDetailResource> {
    const { student, history } = await this.getStudent.execute(id, user);
    return toStudentDetailResource(student, history);
  }

  @Get(':id/changes')
  @RequireRoles(...readers)
  @ApiOperation({
    summary:
      "The student's corrections, oldest first: each changed field before and after, who, when and why; cursor pagination",
  })
  @ApiOkResponse({ type: StudentChangePageResource })
  async changes(
    @Param('id', uuidParam()) id: string,
    @Query() query: ListStudentChangesQuery,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<StudentChangePageResource> {
    const page = await this.listChanges.execute(id, query, user);
    return { items: page.items.map(toStudentChangeResource), nextCursor: page.nextCursor };
  }

  @Patch(':id')
  @RequireRoles(...writers)
  @ApiOperation({
    summary:
      'Correct fields of a student, with a reason (required for phone, nationalId or schoolCode); identical values change nothing and publish nothing',
  })
  @ApiOkResponse({ type: StudentResource })
  async update(
    @Param('id', uuidParam()) id: string,
    @Body() body: UpdateStudentDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<StudentResource> {
    return toStudentResource((await this.updateStudent.execute(id, body, user)).student);
  }

  @Post(':id/status')
  @HttpCode(200)
  @RequireRoles(...writers)
  @ApiOperation({ summary: 'Change the status (enrolled, suspended, withdrawn, graduated) with a reason' })
  @ApiOkResponse({ type: StudentResource })
  async changeStatusOf(
    @Param('id', uuidParam()) id: string,
    @Body() body: ChangeStudentStatusDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<StudentResource> {
    return toStudentResource(await this.changeStatus.execute(id, body, user));
  }
}
