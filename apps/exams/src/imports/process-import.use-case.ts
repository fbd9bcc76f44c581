import { Inject, Injectable, Logger } from '@nestjs/common';
import { SERVICE_CONFIG } from '@scholarpay/platform';
import { DataSource } from 'typeorm';
import type { ExamsConfig } from '../exams.config';
import { ReadModelRepository } from '../read-model/read-model.repository';
import { normaliseNationalId, scoreProblem } from '../results/exam-result.rules';
import { ResultRecorder, type ResultEntry } from '../results/result-recorder';
import type { ExamSessionEntity } from '../sessions/exam-session.entity';
import { ExamSessionRepository } from '../sessions/exam-session.repository';
import { readCsvRecords, type CsvRecord } from './csv-records';
import type { ExamResultImportEntity } from './exam-result-import.entity';
import {
  ExamResultImportRepository,
  type BatchProgress,
  type NewImportError,
} from './exam-result-import.repository';
import { isFinal } from './import.state-machine';
import {
  decodeCsv,
  isBlankRecord,
  mapHeader,
  parseResultRecord,
  type HeaderMapping,
} from './result-csv.rules';

type Mapping = Extract<HeaderMapping, { ok: true }>;

interface NumberedRecord extends CsvRecord {
  readonly recordNumber: number;
}

/**
 * Processes a stored import in batches. Each batch (its results, their revisions and events, its
 * row errors and the import's progress) commits in one transaction, so after a crash the next
 * attempt resumes after the last committed batch and no row is applied twice.
 */
@Injectable()
export class ProcessImportUseCase {
  private readonly logger = new Logger(ProcessImportUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly imports: ExamResultImportRepository,
    private readonly sessions: ExamSessionRepository,
    private readonly readModel: ReadModelRepository,
    private readonly recorder: ResultRecorder,
    @Inject(SERVICE_CONFIG) private readonly config: ExamsConfig,
  ) {}

  async execute(importId: string): Promise<void> {
    const record = await this.imports.findById(importId);
    if (!record) {
      this.logger.warn({ importId }, 'queued import does not exist; nothing to do');
      return;
    }
    if (isFinal(record.status)) return;
    if (!(await this.imports.transition(record.id, record.status, 'processing'))) {
      throw new Error(`import ${record.id} changed status while starting; will retry`);
    }
    const session = await this.sessions.get(record.sessionId);
    const { text } = decodeCsv(await this.imports.contentOf(record.id));

    let mapping: Mapping | null = null;
    let processed = record.rowsProcessed;
    let recordNumber = 0;
    let batch: NumberedRecord[] = [];
    for await (const csvRecord of readCsvRecords(text, record.delimiter)) {
      if (mapping === null) {
        const header = mapHeader(csvRecord.cells);
        if (!header.ok) throw new Error(`import ${record.id}: the stored header no longer maps`);
        mapping = header;
        continue;
      }
      recordNumber++;
      if (recordNumber <= processed) continue; // applied by an earlier attempt
      batch.push({ ...csvRecord, recordNumber });
      if (batch.length >= this.config.EXAMS_IMPORT_BATCH_ROWS) {
        processed = await this.applyBatch(record, session, mapping, batch, processed);
        batch = [];
      }
    }
    if (mapping && batch.length > 0)
      processed = await this.applyBatch(record, session, mapping, batch, processed);
    await this.imports.transition(record.id, 'processing', 'completed');
    this.logger.log({ importId: record.id, rows: processed }, 'results import completed');
  }

  private async applyBatch(
    record: ExamResultImportEntity,
    session: ExamSessionEntity,
    mapping: Mapping,
    batch: readonly NumberedRecord[],
    processedBefore: number,
  ): Promise<number> {
    const progress: BatchProgress = {
      records: batch.length,
      recorded: 0,
      corrected: 0,
      unchanged: 0,
      failed: 0,
      blank: 0,
    };
    const errors: NewImportError[] = [];
    const fail = (row: NumberedRecord, problems: { field: string; code: string; problem: string }[]) => {
      progress.failed++;
      for (const problem of problems)
        errors.push({ recordNumber: row.recordNumber, line: row.line, ...problem });
    };
    const studentField = mapping.names.studentId ?? mapping.names.nationalId ?? 'student';
    const nationalIdField = mapping.names.nationalId ?? 'national_id';

    const parsed: {
      row: NumberedRecord;
      studentId: string | null;
      nationalId: string | null;
      passed: boolean;
      score: number | null;
    }[] = [];
    for (const row of batch) {
      if (isBlankRecord(row.cells)) {
        progress.blank++;
        continue;
      }
      const result = parseResultRecord(row.cells, mapping);
      if (!result.ok) {
        fail(row, [...result.problems]);
        continue;
      }
      const problem = scoreProblem(result.record.score, session.scoreScale);
      if (problem) {
        fail(row, [{ field: mapping.names.score ?? 'score', code: 'IMPORT.SCORE_OUT_OF_RANGE', problem }]);
        continue;
      }
      parsed.push({ row, ...result.record });
    }

    const byNationalId = await this.readModel.findStudentIdsByNationalIds(
      parsed.filter((p) => p.nationalId !== null).map((p) => p.nationalId!),
    );
    const entries: (ResultEntry & { row: NumberedRecord })[] = [];
    for (const item of parsed) {
      let studentId = item.studentId;
      if (item.nationalId !== null) {
        const found = byNationalId.get(normaliseNationalId(item.nationalId)) ?? [];
        if (found.length === 0) {
          fail(item.row, [
            {
              field: nationalIdField,
              code: 'IMPORT.STUDENT_UNKNOWN',
              problem: 'no student with this national id is known to the exams service',
            },
          ]);
          continue;
        }
        if (studentId !== null && !found.includes(studentId)) {
          fail(item.row, [
            {
              field: nationalIdField,
              code: 'IMPORT.STUDENT_MISMATCH',
              problem: `belongs to a different student than ${mapping.names.studentId}`,
            },
          ]);
          continue;
        }
        if (studentId === null && found.length > 1) {
          fail(item.row, [
            {
              field: nationalIdField,
              code: 'IMPORT.STUDENT_AMBIGUOUS',
              problem: 'matches more than one student; give the student id instead',
            },
          ]);
          continue;
        }
        studentId = studentId ?? found[0];
      }
      entries.push({
        row: item.row,
        studentId: studentId!,
        passed: item.passed,
        score: item.score,
        reason: `corrected by import of "${record.fileName}" (line ${item.row.line})`,
        importRecord: item.row.recordNumber,
      });
    }

    await this.dataSource.transaction(async (manager) => {
      const outcomes = await this.recorder.record(
        manager,
        { session, actor: record.uploadedBy, source: 'import', importId: record.id },
        entries,
      );
      outcomes.forEach((outcome, index) => {
        const row = entries[index].row;
        switch (outcome.kind) {
          case 'recorded':
            progress.recorded++;
            break;
          case 'corrected':
            progress.corrected++;
            break;
          case 'unchanged':
            progress.unchanged++;
            break;
          case 'student_unknown':
            fail(row, [
              {
                field: studentField,
                code: 'IMPORT.STUDENT_UNKNOWN',
                problem: 'no student with this id is known to the exams service',
              },
            ]);
            break;
          case 'conflicting_duplicate':
            fail(row, [
              {
                field: studentField,
                code: 'IMPORT.DUPLICATE_STUDENT',
                problem: 'appears earlier in this file with a different result; keep one row per student',
              },
            ]);
            break;
          case 'reason_required':
          case 'stale_revision':
            fail(row, [
              {
                field: studentField,
                code: 'IMPORT.NOT_RECORDED',
                problem: `could not be recorded (${outcome.kind})`,
              },
            ]);
            break;
        }
      });
      await this.imports.recordBatch(manager, record.id, processedBefore, progress, errors);
    });
    return processedBefore + batch.length;
  }
}
