import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@scholarpay/auth';
import { Roles } from '@scholarpay/auth';
import { encodeCursor, Page } from '../common/cursor';
import { ImportErrors } from './imports.errors';
import { StudentImportEntity, StudentImportRejectionEntity } from './student-import.entity';
import { StudentImportRepository } from './student-import.repository';

/** Programme administrators and auditors see every import; a school administrator sees their own. */
export function canSeeImport(actor: AuthenticatedUser, studentImport: StudentImportEntity): boolean {
  return (
    actor.roles.includes(Roles.programmeAdmin) ||
    actor.roles.includes(Roles.auditor) ||
    studentImport.requestedBy === actor.sub
  );
}

@Injectable()
export class GetStudentImportUseCase {
  constructor(private readonly imports: StudentImportRepository) {}

  async execute(
    id: string,
    actor: AuthenticatedUser,
    rejectionLimit: number,
  ): Promise<{ studentImport: StudentImportEntity; rejections: Page<StudentImportRejectionEntity> }> {
    const studentImport = await this.imports.findById(id);
    if (!studentImport) throw ImportErrors.notFound(id);
    if (!canSeeImport(actor, studentImport)) throw ImportErrors.forbidden();
    const rows = await this.imports.rejections(id, null, rejectionLimit);
    return { studentImport, rejections: toRejectionPage(rows, rejectionLimit) };
  }
}

export function toRejectionPage(
  rows: StudentImportRejectionEntity[],
  limit: number,
): Page<StudentImportRejectionEntity> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1].id) : null };
}
