import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../common/page.dto';
import type { ExamResultImportEntity, ExamResultImportErrorEntity } from '../exam-result-import.entity';
import type { ImportStatus } from '../import.state-machine';
import type { ResultColumn } from '../result-csv.rules';

export class UploadImportQueryDto {
  @ApiPropertyOptional({
    description: 'The session the results belong to (or send it as the form field "sessionId")',
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  sessionId?: string;
}

export class ListImportsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only imports of this session' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  sessionId?: string;
}

export class ImportErrorResponse {
  @ApiProperty({ description: '1 for the first data row after the header' }) recordNumber: number;
  @ApiProperty({ description: 'Line of the file (the header is line 1)' }) line: number;
  @ApiProperty({ description: 'Column as the file names it' }) field: string;
  @ApiProperty({ example: 'IMPORT.RESULT_INVALID' }) code: string;
  @ApiProperty() problem: string;

  static of(error: ExamResultImportErrorEntity): ImportErrorResponse {
    return {
      recordNumber: error.recordNumber,
      line: error.line,
      field: error.field,
      code: error.code,
      problem: error.problem,
    };
  }
}

export class ImportResponse {
  @ApiProperty() id: string;
  @ApiProperty() sessionId: string;
  @ApiProperty() fileName: string;
  @ApiProperty() fileSha256: string;
  @ApiProperty() fileSize: number;
  @ApiProperty({ example: 'utf-8' }) encoding: string;
  @ApiProperty({ example: ';' }) delimiter: string;
  @ApiProperty({ description: 'Header text to what the column means' }) columns: Record<string, ResultColumn>;
  @ApiProperty({ type: [String] }) ignoredColumns: string[];
  @ApiProperty({ enum: ['queued', 'processing', 'completed', 'failed'] }) status: ImportStatus;
  @ApiProperty({ nullable: true, type: Number }) rowsTotal: number | null;
  @ApiProperty() rowsProcessed: number;
  @ApiProperty() rowsRecorded: number;
  @ApiProperty() rowsCorrected: number;
  @ApiProperty() rowsUnchanged: number;
  @ApiProperty() rowsFailed: number;
  @ApiProperty() rowsBlank: number;
  @ApiProperty({ nullable: true, type: String }) failureReason: string | null;
  @ApiProperty() uploadedBy: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) startedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) completedAt: string | null;
  @ApiPropertyOptional({
    description:
      'true when this very file had already been uploaded for the session: the earlier import is returned',
  })
  reused?: boolean;
  @ApiPropertyOptional({
    type: [ImportErrorResponse],
    description: 'The first row errors (all of them at /errors)',
  })
  errors?: ImportErrorResponse[];

  static of(
    record: ExamResultImportEntity,
    extra: { reused?: boolean; errors?: ExamResultImportErrorEntity[] } = {},
  ): ImportResponse {
    return {
      id: record.id,
      sessionId: record.sessionId,
      fileName: record.fileName,
      fileSha256: record.fileSha256,
      fileSize: record.fileSize,
      encoding: record.encoding,
      delimiter: record.delimiter,
      columns: record.columns,
      ignoredColumns: record.ignoredColumns,
      status: record.status,
      rowsTotal: record.rowsTotal,
      rowsProcessed: record.rowsProcessed,
      rowsRecorded: record.rowsRecorded,
      rowsCorrected: record.rowsCorrected,
      rowsUnchanged: record.rowsUnchanged,
      rowsFailed: record.rowsFailed,
      rowsBlank: record.rowsBlank,
      failureReason: record.failureReason,
      uploadedBy: record.uploadedBy,
      createdAt: record.createdAt.toISOString(),
      startedAt: record.startedAt?.toISOString() ?? null,
      completedAt: record.completedAt?.toISOString() ?? null,
      ...(extra.reused === undefined ? {} : { reused: extra.reused }),
      ...(extra.errors ? { errors: extra.errors.map(ImportErrorResponse.of) } : {}),
    };
  }
}
