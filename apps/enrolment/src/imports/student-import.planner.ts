import { resolveOperator } from '../students/student-fields.rules';
import { StudentEntity } from '../students/student.entity';
import {
  diffStudentFields,
  fieldsOf,
  searchTextOf,
  StudentChanges,
  StudentFields,
} from '../students/student.record';
import type { StudentHolder } from '../students/student.repository';
import { isActiveStatus } from '../students/student.state-machine';
import type { ParsedStudentRow, RowProblem } from './student-row.parser';

export interface SchoolRef {
  id: string;
  code: string;
}

/** Finds a school by the code (or name) a file gives. */
export interface SchoolDirectory {
  resolve(reference: string): SchoolRef | null;
}

/** Whose rows the uploader may write: every school, or a school administrator's own. */
export interface ImportScope {
  allSchools: boolean;
  schoolIds: readonly string[];
}

export interface BatchContext {
  /** The batch's students already on file, by national id. */
  existing: ReadonlyMap<string, StudentEntity>;
  /** Phone number to the active student holding it, as the database says now. */
  activePhoneHolders: ReadonlyMap<string, StudentHolder>;
  schools: SchoolDirectory;
  scope: ImportScope;
  actor: string;
  now: Date;
  newId: () => string;
  /** Column names as the file writes them, for messages. */
  columns: { nationalId: string; school: string; phone: string; operator: string };
}

export type RowDecision =
  | { kind: 'create'; row: number; student: StudentEntity }
  | { kind: 'update'; row: number; student: StudentEntity; changes: StudentChanges }
  | { kind: 'unchanged'; row: number }
  | { kind: 'reject'; row: number; problems: RowProblem[] };

/**
 * Decides, for each valid row of one batch, whether it creates a student, updates one, changes
 * nothing, or must be rejected (unknown school, a school the uploader does not administer, a phone
 * that belongs to another active student). Pure: the caller loads what it needs and writes the result.
 */
export function planImportBatch(rows: readonly ParsedStudentRow[], context: BatchContext): RowDecision[] {
  // Phones claimed so far: the database's holders, then the rows accepted in this batch. A number
  // released by a row of this batch stays claimed until the next batch, so one statement never
  // both frees and takes a number.
  const claimed = new Map(context.activePhoneHolders);
  return rows.map((row) => decide(row, context, claimed));
}

function decide(
  row: ParsedStudentRow,
  context: BatchContext,
  claimed: Map<string, StudentHolder>,
): RowDecision {
  const problems: RowProblem[] = [];
  const problem = (column: string, message: string) => problems.push({ row: row.row, column, message });
  const { columns, scope } = context;

  const school = context.schools.resolve(row.school);
  if (!school) problem(columns.school, `no school has the code "${row.school}"`);
  else if (!inScope(scope, school.id)) {
    problem(columns.school, `${school.code} is not one of the schools you administer`);
  }
  const existing = context.existing.get(row.nationalId) ?? null;
  // Which student or school holds it is not the uploader's to learn.
  if (existing && !inScope(scope, existing.schoolId)) {
    problem(columns.nationalId, 'is already registered for a student you do not administer');
  }

  const phone =
    row.phone === undefined ? (existing?.phone ?? null) : row.phone === null ? null : row.phone.e164;
  if (row.operator && phone === null)
    problem(columns.operator, 'is given but the student has no phone number');
  if (problems.length || !school) return { kind: 'reject', row: row.row, problems };

  const operator = resolveOperator({
    phone,
    inferred: row.phone ? row.phone.inferredOperator : (existing?.operator ?? null),
    explicit: row.operator,
    previousPhone: existing?.phone ?? null,
    previousOperator: existing?.operator ?? null,
  });
  const fields: StudentFields = {
    nationalId: row.nationalId,
    firstName: row.firstName,
    lastName: row.lastName,
    sex: row.sex,
    dateOfBirth: row.dateOfBirth,
    regionOfOrigin: row.regionOfOrigin,
    schoolId: school.id,
    schoolCode: school.code,
    programmeOfStudy: row.programmeOfStudy,
    intakeYear: row.intakeYear,
    phone,
    operator,
  };

  let changes: StudentChanges | null = null;
  if (existing) {
    changes = diffStudentFields(fieldsOf(existing), fields);
    if (Object.keys(changes).length === 0) return { kind: 'unchanged', row: row.row };
  }

  const studentId = existing?.id ?? context.newId();
  const active = isActiveStatus(existing?.status ?? 'enrolled');
  if (active && phone !== null && phone !== existing?.phone) {
    const holder = claimed.get(phone);
    if (holder && holder.id !== studentId) {
      const message = inScope(scope, holder.schoolId)
        ? `already belongs to active student ${holder.id}`
        : 'already belongs to another active student';
      return { kind: 'reject', row: row.row, problems: [{ row: row.row, column: columns.phone, message }] };
    }
    claimed.set(phone, { id: studentId, schoolId: school.id });
  }

  if (existing && changes) {
    const student = Object.assign(new StudentEntity(), existing, fields, {
      searchText: searchTextOf(fields),
      version: existing.version + 1,
      updatedBy: context.actor,
      updatedAt: context.now,
    });
    return { kind: 'update', row: row.row, student, changes };
  }
  const student = Object.assign(new StudentEntity(), fields, {
    id: studentId,
    version: 1,
    searchText: searchTextOf(fields),
    status: 'enrolled' as const,
    enrolledAt: context.now,
    createdBy: context.actor,
    updatedBy: context.actor,
    createdAt: context.now,
    updatedAt: context.now,
  });
  return { kind: 'create', row: row.row, student };
}

function inScope(scope: ImportScope, schoolId: string): boolean {
  return scope.allSchools || scope.schoolIds.includes(schoolId);
}
