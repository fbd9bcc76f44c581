import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { WholeNumberQueryParam } from '@scholarpay/platform';

export class ImportRejectionResource {
  @ApiProperty({
    example: 7,
    description: 'Line of the file where the row starts (the header is line 1), as a spreadsheet numbers it',
  })
  row: number;

  @ApiProperty({
    example: 'date_de_naissance',
    nullable: true,
    type: String,
    description: 'The column as the file names it; null when the row could not be read at all',
  })
  column: string | null;

  @ApiProperty({ example: '2001-02-31 is not a real date' })
  message: string;
}

export class StudentImportResource {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['queued', 'processing', 'completed', 'failed'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) fileName: string | null;
  @ApiProperty() byteSize: number;
  @ApiProperty({ description: 'SHA-256 of the uploaded bytes' }) sha256: string;
  @ApiProperty({ enum: ['utf-8', 'windows-1252'] }) encoding: string;
  @ApiProperty({ example: ';' }) delimiter: string;
  @ApiProperty({ type: [String], description: 'Columns of the file that name no student field (not read)' })
  ignoredColumns: string[];
  @ApiProperty({ description: 'Data rows in the file (exact once completed)' }) totalRows: number;
  @ApiProperty() rowsProcessed: number;
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() unchanged: number;
  @ApiProperty() rejected: number;
  @ApiProperty({ nullable: true, type: String }) failureReason: string | null;
  @ApiProperty() requestedBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) startedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) completedAt: string | null;
}

export class StudentImportDetailResource extends StudentImportResource {
  @ApiProperty({
    type: [ImportRejectionResource],
    description: 'The first rejected rows; the rest via /rejections',
  })
  rejections: ImportRejectionResource[];

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Cursor for GET /student-imports/{id}/rejections; null if all are listed',
  })
  rejectionsNextCursor: string | null;
}

export class ImportRejectionPageResource {
  @ApiProperty({ type: [ImportRejectionResource] }) items: ImportRejectionResource[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class AcceptedImportResource {
  @ApiProperty({ format: 'uuid' }) importId: string;
  @ApiProperty({ enum: ['queued'] }) status: string;
  @ApiProperty({ description: 'Data rows counted in the upload' }) totalRows: number;
  @ApiProperty({ example: '/api/v1/student-imports/0f0b6c9e-2b7a-4a53-8f0e-6f1d9a1c3b22' }) location: string;
}

export class ListRejectionsQuery {
  @ApiPropertyOptional({ example: 100, minimum: 1, maximum: 1000, description: '1 to 1000, default 100' })
  @IsOptional()
  @WholeNumberQueryParam(1, 1000)
  limit?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
