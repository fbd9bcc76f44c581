import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@scholarpay/auth';
import { decodeCursor, Page } from '../common/cursor';
import { canSeeImport, toRejectionPage } from './get-student-import.use-case';
import { ImportErrors } from './imports.errors';
import { StudentImportRejectionEntity } from './student-import.entity';
import { StudentImportRepository } from './student-import.repository';

@Injectable()
export class ListImportRejectionsUseCase {
  constructor(private readonly imports: StudentImportRepository) {}

  async execute(
    id: string,
    actor: AuthenticatedUser,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<StudentImportRejectionEntity>> {
    const studentImport = await this.imports.findById(id);
    if (!studentImport) throw ImportErrors.notFound(id);
    if (!canSeeImport(actor, studentImport)) throw ImportErrors.forbidden();
    return toRejectionPage(await this.imports.rejections(id, decodeCursor(cursor), limit), limit);
  }
}
