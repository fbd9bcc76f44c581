import { Controller, Get, HttpStatus, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequireRoles, Roles } from '@scholarpay/auth';
import type { AuthenticatedUser } from '@scholarpay/auth';
import { AppError, isUuid, SERVICE_CONFIG } from '@scholarpay/platform';
import type { FastifyRequest, FastifyReply } from 'fastify';
import type { Page } from '../common/page.dto';
import { PageQueryDto } from '../common/page.dto';
import { UuidPipe } from '../common/uuid-param.pipe';
import type { ExamsConfig } from '../exams.config';
import { readCsvUpload } from './csv-upload.reader';
import {
  ImportErrorResponse,
  ImportResponse,
  ListImportsQueryDto,
  UploadImportQueryDto,
} from './dto/exam-result-import.dto';
import { ExamResultImportRepository } from './exam-result-import.repository';
import { ImportErrors } from './exam-result-imports.errors';
import { StartImportUseCase } from './start-import.use-case';

const ERRORS_PREVIEW = 20;

@ApiTags('exam result imports')
@Controller('exam-result-imports')
export class ExamResultImportsController {
  constructor(
    private readonly startImport: StartImportUseCase,
    private readonly imports: ExamResultImportRepository,
    @Inject(SERVICE_CONFIG) private readonly config: ExamsConfig,
  ) {}

  @Post()
  @RequireRoles(Roles.evaluator)
  @ApiConsumes('multipart/form-data', 'text/csv')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        file: { type: 'string', format: 'binary' },
        sessionId: { type: 'string', format: 'uuid' },
      },
      required: ['file'],
    },
  })
  @ApiOperation({
    summary: 'Upload a CSV of results for a session; processed in the background',
    description:
      'Columns (English or French, any order): student_id and/or national_id (nina), result (résultat: pass/fail, admis/ajourné, réussi/échoué, 1/0), optional score (note, "12.5" or "12,5"). Comma, semicolon or tab; UTF-8 with or without BOM, Windows-1252 or UTF-16; CRLF or LF. 202 with the import id; re-uploading the same file for the same session returns the first import (200, reused: true). Rows that differ from results already recorded correct them, with the import as the reason.',
  })
  @ApiAcceptedResponse({ description: 'a new import, processed in the background' })
  @ApiOkResponse({ description: 'the same file for the same session again: the first import (reused: true)' })
  async upload(
    @Req() request: FastifyRequest,
    @Query() query: UploadImportQueryDto,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<ImportResponse> {
    const upload = await readCsvUpload(request.raw, this.config.EXAMS_IMPORT_MAX_BYTES).catch(
      (error: unknown) => {
        // The client may still be sending a large file: answer, then close, rather than read it all.
        if (error instanceof AppError && error.kind === 'payload_too_large')
          response.header('Connection', 'close');
        throw error;
      },
    );
    const sessionId = query.sessionId ?? upload.fields.sessionId;
    if (sessionId === undefined || sessionId === '') throw ImportErrors.sessionIdMissing();
    if (!isUuid(sessionId)) throw ImportErrors.sessionIdInvalid();
    const { created, record } = await this.startImport.execute({
      sessionId: sessionId.toLowerCase(),
      fileName: upload.fileName,
      content: upload.content,
      sha256: upload.sha256,
      actor: user.sub,
    });
    response.status(created ? HttpStatus.ACCEPTED : HttpStatus.OK);
    response.header('Location', `/api/v1/exam-result-imports/${record.id}`);
    return ImportResponse.of(record, { reused: !created });
  }

  @Get()
  @RequireRoles(Roles.evaluator, Roles.auditor, Roles.programmeAdmin)
  @ApiOperation({ summary: 'Imports, most recent first' })
  async list(@Query() query: ListImportsQueryDto): Promise<Page<ImportResponse>> {
    const limit = query.limit ?? 100;
    const offset = query.offset ?? 0;
    const { items, total } = await this.imports.list({ sessionId: query.sessionId, limit, offset });
    return { items: items.map((item) => ImportResponse.of(item)), total, limit, offset };
  }

  @Get(':importId')
  @RequireRoles(Roles.evaluator, Roles.auditor, Roles.programmeAdmin)
  @ApiOperation({ summary: 'Progress of an import, with its first row errors' })
  async get(@Param('importId', new UuidPipe('importId')) importId: string): Promise<ImportResponse> {
    const record = await this.imports.findById(importId);
    if (!record) throw ImportErrors.notFound(importId);
    const { items } = await this.imports.errors(importId, { limit: ERRORS_PREVIEW, offset: 0 });
    return ImportResponse.of(record, { errors: items });
  }

  @Get(':importId/errors')
  @RequireRoles(Roles.evaluator, Roles.auditor, Roles.programmeAdmin)
  @ApiOperation({ summary: 'Every row error of an import, in file order' })
  async errors(
    @Param('importId', new UuidPipe('importId')) importId: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<ImportErrorResponse>> {
    const record = await this.imports.findById(importId);
    if (!record) throw ImportErrors.notFound(importId);
    const limit = query.limit ?? 100;
    const offset = query.offset ?? 0;
    const { items, total } = await this.imports.errors(importId, { limit, offset });
    return { items: items.map(ImportErrorResponse.of), total, limit, offset };
  }
}
