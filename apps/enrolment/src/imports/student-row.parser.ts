import type { MobileOperator } from '@scholarpay/contracts';
import {
  ageAtEnrolmentProblem,
  dateOfBirthRule,
  intakeYearFromText,
  nameRule,
  nationalIdRule,
  operatorRule,
  ParsedPhone,
  phoneRule,
  programmeRule,
  regionRule,
  RuleResult,
  Sex,
  sexRule,
} from '../students/student-fields.rules';
import { describeField, StudentField } from './csv/csv-header';

/** One problem with one row: the file line, the column as the file names it, and what is wrong. */
export interface RowProblem {
  row: number;
  column: string | null;
  message: string;
}

/** A row whose every value is valid on its own; the school is still the file's text. */
export interface ParsedStudentRow {
  row: number;
  nationalId: string;
  firstName: string;
  lastName: string;
  sex: Sex;
  dateOfBirth: string;
  regionOfOrigin: string;
  /** The school's code (or name) as written. */
  school: string;
  programmeOfStudy: string;
  intakeYear: number;
  /** Absent column: leave the stored phone alone. Blank cell: no phone. */
  phone: ParsedPhone | null | undefined;
  /** Not given: inferred from the number (or kept, for an unchanged number). */
  operator: MobileOperator | undefined;
}

export type RowParseResult = { ok: true; row: ParsedStudentRow } | { ok: false; problems: RowProblem[] };

/**
 * Turns the cells of one CSV row into a student's values with the same rules as the API, more
 * lenient only where spreadsheets differ (F/M as words, DD/MM/YYYY dates, operator brand names).
 * Reports every problem of the row at once, each under the column name the file uses.
 */
export class StudentRowParser {
  constructor(
    private readonly columnMap: Partial<Record<StudentField, number>>,
    private readonly headerNames: string[],
    private readonly today: Date = new Date(),
  ) {}

  /** The row's national id if it is valid (to find the same person twice in one file). */
  nationalIdOf(fields: string[]): string | null {
    const result = nationalIdRule(this.cell(fields, 'nationalId') ?? '');
    return result.ok ? result.value : null;
  }

  /** The school cell as written (trimmed), or null when blank. */
  schoolOf(fields: string[]): string | null {
    return this.cell(fields, 'schoolCode')?.trim() || null;
  }

  parse(row: number, fields: string[]): RowParseResult {
    const problems: RowProblem[] = [];
    const take = <T>(field: StudentField, rule: (raw: string) => RuleResult<T>): T | undefined => {
      const result = rule(this.cell(fields, field) ?? '');
      if (result.ok) return result.value;
      problems.push({ row, column: this.columnName(field), message: result.problem });
      return undefined;
    };
    const nationalId = take('nationalId', nationalIdRule);
    const firstName = take('firstName', nameRule);
    const lastName = take('lastName', nameRule);
    const sex = take('sex', (raw) => sexRule(raw, { lenient: true }));
    const dateOfBirth = take('dateOfBirth', (raw) =>
      dateOfBirthRule(raw, { lenient: true, today: this.today }),
    );
    const regionOfOrigin = take('regionOfOrigin', regionRule);
    const school = take('schoolCode', (raw): RuleResult<string> =>
      raw.trim() ? { ok: true, value: raw.trim() } : { ok: false, problem: 'is required' },
    );
    const programmeOfStudy = take('programmeOfStudy', programmeRule);
    const intakeYear = take('intakeYear', (raw) => intakeYearFromText(raw, { today: this.today }));

    let phone: ParsedPhone | null | undefined;
    const phoneCell = this.cell(fields, 'phone');
    if (phoneCell !== undefined) phone = phoneCell.trim() ? (take('phone', phoneRule) ?? undefined) : null;
    let operator: MobileOperator | undefined;
    const operatorCell = this.cell(fields, 'operator');
    if (operatorCell?.trim()) {
      operator = take('operator', (raw) => operatorRule(raw, { lenient: true }));
      if (operator && phoneCell !== undefined && !phoneCell.trim()) {
        problems.push({
          row,
          column: this.columnName('operator'),
          message: 'is given but the row has no phone number',
        });
      }
    }

    if (dateOfBirth && intakeYear !== undefined) {
      const tooYoung = ageAtEnrolmentProblem(dateOfBirth, intakeYear);
      if (tooYoung) problems.push({ row, column: this.columnName('dateOfBirth'), message: tooYoung });
    }
    if (problems.length) return { ok: false, problems };
    return {
      ok: true,
      row: {
        row,
        nationalId: nationalId!,
        firstName: firstName!,
        lastName: lastName!,
        sex: sex!,
        dateOfBirth: dateOfBirth!,
        regionOfOrigin: regionOfOrigin!,
        school: school!,
        programmeOfStudy: programmeOfStudy!,
        intakeYear: intakeYear!,
        phone,
        operator,
      },
    };
  }

  /** Where a column (by its name in the file) sits, for listing a row's problems left to right. */
  columnIndex(column: string | null): number {
    const index = column === null ? -1 : this.headerNames.indexOf(column);
    return index < 0 ? Number.MAX_SAFE_INTEGER : index;
  }

  columnName(field: StudentField): string {
    const index = this.columnMap[field];
    return index === undefined ? describeField(field) : this.headerNames[index] || describeField(field);
  }

  /** The cell's text, '' for a short row, undefined when the file has no such column. */
  private cell(fields: string[], field: StudentField): string | undefined {
    const index = this.columnMap[field];
    if (index === undefined) return undefined;
    return fields[index] ?? '';
  }
}
