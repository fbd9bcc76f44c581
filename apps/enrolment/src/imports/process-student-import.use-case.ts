import { Injectable, Logger } from '@nestjs/common';
import { EventTypes } from '@scholarpay/contracts';
import { OutboxPublisher } from '@scholarpay/messaging';
import type { OutgoingEvent } from '@scholarpay/messaging';
import { MetricsService, runWithCorrelation } from '@scholarpay/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { describeDatabaseError, isRetryableTransactionError } from '../common/database-errors';
import { foldForComparison } from '../common/text';
import { SchoolRepository } from '../schools/school.repository';
import { toStudentSnapshot } from '../students/student.record';
import { NewStudentChange, StudentRepository } from '../students/student.repository';
import type { Delimiter } from './csv/csv-header';
import { CsvItem, readCsvRecords } from './csv/csv-record-reader';
import { planImportBatch, SchoolDirectory, SchoolRef } from './student-import.planner';
import { StudentImportEntity } from './student-import.entity';
import { StudentImportRepository } from './student-import.repository';
import { RowParseResult, RowProblem, StudentRowParser } from './student-row.parser';

/** A batch item with its row already read and checked on its own. */
type PreparedItem =
  | { kind: 'broken'; line: number; message: string }
  | { kind: 'row'; line: number; fields: string[]; parsed: RowParseResult; nationalId: string | null };

export type ImportRunOutcome = 'completed' | 'interrupted' | 'not_runnable';

export interface ImportRunControl {
  /** True when the service is shutting down: stop between batches, the next run resumes. */
  shouldStop(): boolean;
}

const MAX_BATCH_ATTEMPTS = 5;

/**
 * Applies a staged CSV file, batch by batch. Each batch is one transaction: the students it creates
 * or changes, their events in the outbox, its rejected rows and the import's counters and resume
 * point commit together, so a crash loses nothing and repeats nothing: the next run skips the rows
 * already applied. A row that repeats a national id seen earlier in the file is rejected, so the file
 * means the same thing however often it is uploaded.
 */
@Injectable()
export class ProcessStudentImportUseCase {
  private readonly logger = new Logger(ProcessStudentImportUseCase.name);
  private readonly rowOutcomes;

  constructor(
    private readonly dataSource: DataSource,
    private readonly imports: StudentImportRepository,
    private readonly students: StudentRepository,
    private readonly schools: SchoolRepository,
    private readonly outbox: OutboxPublisher,
    metrics: MetricsService,
  ) {
    this.rowOutcomes = metrics.counter('enrolment_import_rows_total', 'CSV import rows by outcome', [
      'outcome',
    ]);
  }

  async execute(importId: string, batchRows: number, control: ImportRunControl): Promise<ImportRunOutcome> {
    const studentImport = await this.imports.findById(importId);
    if (!studentImport || studentImport.status === 'completed' || studentImport.status === 'failed')
      return 'not_runnable';
    await this.imports.markProcessing(importId);
    return runWithCorrelation(
      {
        correlationId: studentImport.correlationId,
        causationId: studentImport.id,
        actor: studentImport.requestedBy,
      },
      () => this.run(studentImport, batchRows, control),
    );
  }

  private async run(
    studentImport: StudentImportEntity,
    batchRows: number,
    control: ImportRunControl,
  ): Promise<ImportRunOutcome> {
    const parser = new StudentRowParser(studentImport.columnMap, studentImport.headerNames);
    const directory = new CachedSchoolDirectory(this.schools);
    await directory.reload();
    /** National id to the first line it appeared on, for the whole file. */
    const seen = new Map<string, number>();
    const statistics = new StatisticsKeeper(this.students, await this.students.estimatedCount());
    // One batch is applied while the next is read and checked: the database's time and ours overlap.
    // Batches still commit one after the other, in file order.
    const pipeline: { inFlight: Promise<unknown> | null } = { inFlight: null };
    const settle = async (): Promise<void> => {
      const failure = await pipeline.inFlight;
      pipeline.inFlight = null;
      if (failure) throw failure;
    };
    const submit = async (items: CsvItem[]): Promise<boolean> => {
      const prepared = this.prepare(items, parser);
      const hadBatchInFlight = pipeline.inFlight !== null;
      await settle();
      // Stop only between two committed batches; the next run resumes after the last one.
      if (hadBatchInFlight && control.shouldStop()) return false;
      pipeline.inFlight = this.applyWithRetry(studentImport, parser, directory, seen, prepared)
        .then((written) => statistics.afterWriting(written))
        .then(
          () => null,
          (error: unknown) => error ?? new Error('the batch failed'),
        );
      return true;
    };

    let sawHeader = false;
    let batch: CsvItem[] = [];
    const records = readCsvRecords(this.imports.readFile(studentImport.id), {
      encoding: studentImport.encoding,
      delimiter: studentImport.delimiter as Delimiter,
    });
    try {
      for await (const item of records) {
        if (!sawHeader && item.kind === 'record') {
          sawHeader = true;
          continue;
        }
        if (item.line <= studentImport.resumeAfterLine) {
          // Applied by an earlier run; remember its national id for the duplicate check.
          if (item.kind === 'record') {
            const nationalId = parser.nationalIdOf(item.fields);
            if (nationalId && !seen.has(nationalId)) seen.set(nationalId, item.line);
          }
          continue;
        }
        batch.push(item);
        if (batch.length >= batchRows) {
          const submitted = await submit(batch);
          batch = [];
          if (!submitted) return 'interrupted';
        }
      }
      if (batch.length && !(await submit(batch))) return 'interrupted';
      await settle();
    } finally {
      // Never leave a batch running behind a failure: its outcome is committed or not before we go.
      if (pipeline.inFlight) await pipeline.inFlight;
    }
    await this.imports.markCompleted(studentImport.id);
    await statistics.afterImport();
    return 'completed';
  }

  /** The CPU part of a batch (reading each row's values), done before its transaction opens. */
  private prepare(items: CsvItem[], parser: StudentRowParser): PreparedItem[] {
    return items.map((item) =>
      item.kind === 'broken'
        ? item
        : {
            kind: 'row' as const,
            line: item.line,
            fields: item.fields,
            parsed: parser.parse(item.line, item.fields),
            nationalId: parser.nationalIdOf(item.fields),
          },
    );
  }

  private async applyWithRetry(
    studentImport: StudentImportEntity,
    parser: StudentRowParser,
    directory: CachedSchoolDirectory,
    seen: Map<string, number>,
    batch: PreparedItem[],
  ): Promise<number> {
    for (let attempt = 1; ; attempt += 1) {
      // The duplicate map changes only once a batch has committed.
      const tentative = new Map<string, number>();
      try {
        const counts = await this.dataSource.transaction((manager) =>
          this.applyBatch(manager, studentImport, parser, directory, seen, tentative, batch),
        );
        for (const [nationalId, line] of tentative) seen.set(nationalId, line);
        this.rowOutcomes.inc({ outcome: 'created' }, counts.created);
        this.rowOutcomes.inc({ outcome: 'updated' }, counts.updated);
        this.rowOutcomes.inc({ outcome: 'unchanged' }, counts.unchanged);
        this.rowOutcomes.inc({ outcome: 'rejected' }, counts.rejected);
        return counts.created + counts.updated;
      } catch (error) {
        // Another writer (the API, another import) won a race for a national id or a phone, or changed
        // a student this batch read: the fresh look-ups of the next attempt see it and decide again.
        if (!isRetryableTransactionError(error) || attempt >= MAX_BATCH_ATTEMPTS) throw error;
        this.logger.warn(
          { importId: studentImport.id, attempt, error: describeDatabaseError(error) },
          'import batch conflicted; retrying',
        );
        await directory.reload();
      }
    }
  }

  private async applyBatch(
    manager: EntityManager,
    studentImport: StudentImportEntity,
    parser: StudentRowParser,
    directory: CachedSchoolDirectory,
    seen: ReadonlyMap<string, number>,
    tentative: Map<string, number>,
    batch: PreparedItem[],
  ): Promise<{ created: number; updated: number; unchanged: number; rejected: number }> {
    const rejections: RowProblem[] = [];
    const rejectedRows = new Set<number>();
    const reject = (problems: RowProblem[]) => {
      rejections.push(...problems);
      for (const problem of problems) rejectedRows.add(problem.row);
    };
    const valid = [];
    const invalid: { fields: string[]; problems: RowProblem[] }[] = [];
    const columnOrder = (problem: RowProblem) => parser.columnIndex(problem.column);
    for (const item of batch) {
      if (item.kind === 'broken') {
        reject([{ row: item.line, column: null, message: item.message }]);
        continue;
      }
      const { parsed, nationalId } = item;
      if (nationalId) {
        const firstLine = seen.get(nationalId) ?? tentative.get(nationalId);
        if (firstLine !== undefined) {
          reject([
            {
              row: item.line,
              column: parser.columnName('nationalId'),
              message: `the same national id is already on row ${firstLine} of this file; a student may appear only once`,
            },
            ...(parsed.ok ? [] : parsed.problems),
          ]);
          continue;
        }
        tentative.set(nationalId, item.line);
      }
      if (!parsed.ok) {
        invalid.push({ fields: item.fields, problems: parsed.problems });
        continue;
      }
      valid.push(parsed.row);
    }
    // A row with bad values also hears about an unknown school, so one correction pass fixes it all.
    await directory.ensureKnows(invalid.flatMap(({ fields }) => parser.schoolOf(fields) ?? []));
    for (const { fields, problems } of invalid) {
      const school = parser.schoolOf(fields);
      const row = problems[0].row;
      const schoolProblem: RowProblem[] =
        school && !directory.resolve(school)
          ? [{ row, column: parser.columnName('schoolCode'), message: `no school has the code "${school}"` }]
          : [];
      reject([...problems, ...schoolProblem].sort((a, b) => columnOrder(a) - columnOrder(b)));
    }

    const existing = await this.students.findByNationalIds(
      manager,
      valid.map((row) => row.nationalId),
    );
    const phones = [...new Set(valid.flatMap((row) => (row.phone ? [row.phone.e164] : [])))];
    const holders = await this.students.activePhoneHolders(manager, phones);
    await directory.ensureKnows(valid.map((row) => row.school));
    const now = new Date();
    const decisions = planImportBatch(valid, {
      existing,
      activePhoneHolders: holders,
      schools: directory,
      scope: { allSchools: studentImport.requesterAllSchools, schoolIds: studentImport.requesterSchoolIds },
      actor: studentImport.requestedBy,
      now,
      newId: randomUUID,
      columns: {
        nationalId: parser.columnName('nationalId'),
        school: parser.columnName('schoolCode'),
        phone: parser.columnName('phone'),
        operator: parser.columnName('operator'),
      },
    });

    const created = [];
    const updated = [];
    const changes: NewStudentChange[] = [];
    const events: OutgoingEvent[] = [];
    let unchanged = 0;
    for (const decision of decisions) {
      switch (decision.kind) {
        case 'create':
          created.push(decision.student);
          events.push({
            type: EventTypes.studentRegistered,
            subject: decision.student.id,
            data: { student: toStudentSnapshot(decision.student) },
          });
          break;
        case 'update': {
          // A file has no reason column: the import and its row are the reason (and the file's hash is kept).
          const reason = `updated by CSV import ${studentImport.id}, row ${decision.row}`;
          updated.push(decision.student);
          changes.push({
            studentId: decision.student.id,
            version: decision.student.version,
            changes: decision.changes,
            reason,
            changedBy: studentImport.requestedBy,
            changedAt: now,
          });
          events.push({
            type: EventTypes.studentUpdated,
            subject: decision.student.id,
            data: {
              student: toStudentSnapshot(decision.student),
              changes: decision.changes,
              changedBy: studentImport.requestedBy,
              reason,
            },
          });
          break;
        }
        case 'unchanged':
          unchanged += 1;
          break;
        case 'reject':
          reject(decision.problems);
          break;
      }
    }
    await this.students.insertMany(manager, created);
    await this.students.appendStatusHistory(
      manager,
      created.map((student) => ({
        studentId: student.id,
        fromStatus: null,
        toStatus: 'enrolled' as const,
        reason: `registered by CSV import ${studentImport.id}`,
        changedBy: studentImport.requestedBy,
        changedAt: now,
      })),
    );
    await this.students.updateMany(manager, updated);
    await this.students.appendChanges(manager, changes);
    await this.outbox.publishAll(manager, events);
    rejections.sort((a, b) => a.row - b.row);
    await this.imports.insertRejections(manager, studentImport.id, rejections);
    const counts = {
      created: created.length,
      updated: updated.length,
      unchanged,
      rejected: rejectedRows.size,
    };
    await this.imports.recordBatch(manager, studentImport.id, {
      rowsProcessed: batch.length,
      resumeAfterLine: batch[batch.length - 1].line,
      ...counts,
    });
    return counts;
  }
}

/**
 * Keeps the planner's statistics on students fresh while an import writes many of them: ANALYZE
 * after every 10,000 rows written or a quarter of the table, whichever is more, and once at the end
 * if anything was written since.
 */
class StatisticsKeeper {
  private readonly logger = new Logger(StatisticsKeeper.name);
  private writtenSinceAnalyze = 0;

  constructor(
    private readonly students: StudentRepository,
    private knownSize: number,
  ) {}

  async afterWriting(rows: number): Promise<void> {
    this.writtenSinceAnalyze += rows;
    if (this.writtenSinceAnalyze >= Math.max(10_000, this.knownSize / 4)) await this.analyze();
  }

  async afterImport(): Promise<void> {
    if (this.writtenSinceAnalyze >= 1000) await this.analyze();
  }

  /** Statistics help speed only: a failure is logged, never fails the import. */
  private async analyze(): Promise<void> {
    this.writtenSinceAnalyze = 0;
    try {
      await this.students.refreshStatistics();
      this.knownSize = await this.students.estimatedCount();
    } catch (error) {
      this.logger.warn(
        { error: describeDatabaseError(error) },
        'could not refresh the statistics on students',
      );
    }
  }
}

/**
 * Schools by code and by folded name, loaded once per import and again when a row names a school
 * not seen yet (it may have been added while the import runs).
 */
class CachedSchoolDirectory implements SchoolDirectory {
  private byCode = new Map<string, SchoolRef>();
  private byName = new Map<string, SchoolRef>();
  private readonly misses = new Set<string>();

  constructor(private readonly schools: SchoolRepository) {}

  async reload(): Promise<void> {
    const all = await this.schools.listAll();
    this.byCode = new Map(all.map((school) => [school.code, { id: school.id, code: school.code }]));
    this.byName = new Map(all.map((school) => [school.searchName, { id: school.id, code: school.code }]));
    this.misses.clear();
  }

  /** Reloads once if a reference is unknown and has not been looked for since the last reload. */
  async ensureKnows(references: string[]): Promise<void> {
    const unknown = references.filter((reference) => !this.resolve(reference) && !this.misses.has(reference));
    if (unknown.length === 0) return;
    await this.reload();
    for (const reference of unknown) if (!this.resolve(reference)) this.misses.add(reference);
  }

  resolve(reference: string): SchoolRef | null {
    return (
      this.byCode.get(reference.trim().toUpperCase()) ?? this.byName.get(foldForComparison(reference)) ?? null
    );
  }
}
