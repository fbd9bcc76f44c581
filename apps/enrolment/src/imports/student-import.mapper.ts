import type { ImportRejectionResource, StudentImportResource } from './dto/student-import.resource';
import type { StudentImportEntity, StudentImportRejectionEntity } from './student-import.entity';

export function toStudentImportResource(studentImport: StudentImportEntity): StudentImportResource {
  return {
    id: studentImport.id,
    status: studentImport.status,
    fileName: studentImport.fileName,
    byteSize: studentImport.byteSize,
    sha256: studentImport.sha256,
    encoding: studentImport.encoding,
    delimiter: studentImport.delimiter,
    ignoredColumns: studentImport.ignoredColumns,
    totalRows: Math.max(studentImport.totalRows, studentImport.rowsProcessed),
    rowsProcessed: studentImport.rowsProcessed,
    created: studentImport.createdCount,
    updated: studentImport.updatedCount,
    unchanged: studentImport.unchangedCount,
    rejected: studentImport.rejectedCount,
    failureReason: studentImport.failureReason,
    requestedBy: studentImport.requestedBy,
    createdAt: studentImport.createdAt.toISOString(),
    startedAt: studentImport.startedAt?.toISOString() ?? null,
    completedAt: studentImport.completedAt?.toISOString() ?? null,
  };
}

export function toRejectionResource(rejection: StudentImportRejectionEntity): ImportRejectionResource {
  return { row: rejection.row, column: rejection.column, message: rejection.message };
}
