import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AuthenticatedUser } from '@scholarpay/auth';
import { AppError, currentCorrelationId, SERVICE_CONFIG } from '@scholarpay/platform';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { EnrolmentConfig } from '../enrolment.config';
import { StudentAccessPolicy } from '../students/student-access.policy';
import { CsvUploadInspector, UploadRejectedError } from './csv/csv-upload-inspector';
import { ImportErrors } from './imports.errors';
import { StudentImportEntity } from './student-import.entity';
import { StudentImportJobs } from './student-import.jobs';
import { StudentImportRepository } from './student-import.repository';
import type { UploadSource } from './upload-source';

/** Pieces of about this size are stored as the upload streams in; memory holds one at a time. */
const STAGE_PIECE_BYTES = 1024 * 1024;

/**
 * Takes an upload: streams it into the database in pieces while the inspector checks it (size,
 * binary or not, encoding, header, row count), all in one transaction, so a refused file leaves
 * nothing behind. Then queues the import; the answer does not wait for the rows to be applied.
 */
@Injectable()
export class StageStudentImportUseCase {
  private readonly logger = new Logger(StageStudentImportUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly imports: StudentImportRepository,
    private readonly jobs: StudentImportJobs,
    @Inject(SERVICE_CONFIG) private readonly config: EnrolmentConfig,
  ) {}

  async execute(source: UploadSource, actor: AuthenticatedUser): Promise<StudentImportEntity> {
    const id = randomUUID();
    const inspector = new CsvUploadInspector(this.config.IMPORT_MAX_BYTES);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await this.imports.beginStaging(runner.manager, {
        id,
        requestedBy: actor.sub,
        requesterAllSchools: StudentAccessPolicy.writesEverySchool(actor),
        requesterSchoolIds: actor.schoolIds,
        correlationId: currentCorrelationId() ?? id,
        fileName: source.fileName ? source.fileName.slice(0, 255) : null,
      });
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let seq = 0;
      for await (const piece of source.stream.iterator({ destroyOnReturn: false })) {
        const buffer = Buffer.isBuffer(piece) ? piece : Buffer.from(piece as string);
        inspector.push(buffer);
        pending.push(buffer);
        pendingBytes += buffer.length;
        if (pendingBytes >= STAGE_PIECE_BYTES) {
          await this.imports.appendFileChunk(runner.manager, id, seq, Buffer.concat(pending));
          seq += 1;
          pending = [];
          pendingBytes = 0;
        }
      }
      if (pendingBytes > 0)
        await this.imports.appendFileChunk(runner.manager, id, seq, Buffer.concat(pending));
      pending = [];
      const summary = inspector.finish();
      await this.imports.finishStaging(runner.manager, id, summary);
      await runner.commitTransaction();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      source.discard();
      throw this.describe(error);
    } finally {
      await runner.release();
    }
    // The file is safe; if Redis is away the periodic sweep queues the import later.
    await this.jobs.enqueue(id).catch((error: unknown) => {
      this.logger.warn(
        { importId: id, error: error instanceof Error ? error.message : String(error) },
        'could not queue the import yet',
      );
    });
    const staged = await this.imports.findById(id);
    if (!staged) throw new Error(`import ${id} vanished after staging`);
    return staged;
  }

  private describe(error: unknown): unknown {
    if (error instanceof UploadRejectedError)
      return ImportErrors.rejected(error.problem, this.config.IMPORT_MAX_BYTES);
    if (error instanceof AppError) return error;
    const code = (error as { code?: string }).code;
    if (
      code === 'ECONNRESET' ||
      code === 'ERR_STREAM_PREMATURE_CLOSE' ||
      (error as Error)?.message === 'aborted'
    ) {
      return ImportErrors.uploadAborted();
    }
    return error;
  }
}
