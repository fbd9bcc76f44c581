import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, RequireRoles, Roles } from '@scholarpay/auth';
import type { AuthenticatedUser } from '@scholarpay/auth';
import { AppError, SERVICE_CONFIG } from '@scholarpay/platform';
import type { FastifyRequest, FastifyReply } from 'fastify';
import { uuidParam } from '../common/uuid-param.pipe';
import type { EnrolmentConfig } from '../enrolment.config';
import {
  AcceptedImportResource,
  ImportRejectionPageResource,
  ListRejectionsQuery,
  StudentImportDetailResource,
} from './dto/student-import.resource';
import { GetStudentImportUseCase } from './get-student-import.use-case';
import { ListImportRejectionsUseCase } from './list-import-rejections.use-case';
import { StageStudentImportUseCase } from './stage-student-import.use-case';
import { toRejectionResource, toStudentImportResource } from './student-import.mapper';
import { openUploadSource } from './upload-source';

const FIRST_REJECTIONS = 100;

@ApiTags('student imports')
@Controller('student-imports')
export class StudentImportsController {
  constructor(
    private readonly stageImport: StageStudentImportUseCase,
    private readonly getImport: GetStudentImportUseCase,
    private readonly listRejections: ListImportRejectionsUseCase,
    @Inject(SERVICE_CONFIG) private readonly config: EnrolmentConfig,
  ) {}

  @Post()
  @HttpCode(202)
  @RequireRoles(Roles.programmeAdmin, Roles.schoolAdmin)
  @ApiOperation({
    summary: 'Upload a CSV of students (text/csv body or multipart part "file"); 202 with the import id',
    description:
      'Comma, semicolon or tab delimited; UTF-8 with or without BOM (Windows-1252 accepted); CRLF or LF; headers in English or French. ' +
      'Rows are upserted by national id; the same file again changes nothing. Over IMPORT_MAX_BYTES: 413 and nothing kept.',
  })
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiAcceptedResponse({ type: AcceptedImportResource })
  async upload(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) response: FastifyReply,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AcceptedImportResource> {
    try {
      const source = await openUploadSource(request.raw, this.config.IMPORT_MAX_BYTES);
      const staged = await this.stageImport.execute(source, user);
      const location = `/api/v1/student-imports/${staged.id}`;
      response.header('Location', location);
      return { importId: staged.id, status: staged.status, totalRows: staged.totalRows, location };
    } catch (error) {
      // The client may still be sending: close the connection after the answer rather than read it all.
      if (error instanceof AppError && error.kind === 'payload_too_large')
        response.header('Connection', 'close');
      throw error;
    }
  }

  @Get(':id')
  @RequireRoles(Roles.programmeAdmin, Roles.schoolAdmin, Roles.auditor)
  @ApiOperation({ summary: 'Progress and outcome of an import, with its first rejected rows' })
  @ApiOkResponse({ type: StudentImportDetailResource })
  async get(
    @Param('id', uuidParam()) id: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<StudentImportDetailResource> {
    const { studentImport, rejections } = await this.getImport.execute(id, user, FIRST_REJECTIONS);
    return {
      ...toStudentImportResource(studentImport),
      rejections: rejections.items.map(toRejectionResource),
      rejectionsNextCursor: rejections.nextCursor,
    };
  }

  @Get(':id/rejections')
  @RequireRoles(Roles.programmeAdmin, Roles.schoolAdmin, Roles.auditor)
  @ApiOperation({ summary: 'Every rejected row of an import, in file order, page by page' })
  @ApiOkResponse({ type: ImportRejectionPageResource })
  async rejections(
    @Param('id', uuidParam()) id: string,
    @Query() query: ListRejectionsQuery,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ImportRejectionPageResource> {
    const page = await this.listRejections.execute(id, user, query.cursor, query.limit ?? FIRST_REJECTIONS);
    return { items: page.items.map(toRejectionResource), nextCursor: page.nextCursor };
  }
}
