import type { MobileOperator, StudentSnapshot, StudentStatus } from '@scholarpay/contracts';
import { foldForComparison } from '../common/text';
import type { StudentEntity } from './student.entity';
import type { Sex } from './student-fields.rules';

/** The fields of a student that people edit (by form or CSV), in their stored form. */
export interface StudentFields {
  nationalId: string;
  firstName: string;
  lastName: string;
  sex: Sex;
  dateOfBirth: string;
  regionOfOrigin: string;
  schoolId: string;
  schoolCode: string;
  programmeOfStudy: string;
  intakeYear: number;
  phone: string | null;
  operator: MobileOperator | null;
}

export const EDITABLE_FIELDS: readonly (keyof StudentFields)[] = [
  'nationalId',
  'firstName',
  'lastName',
  'sex',
  'dateOfBirth',
  'regionOfOrigin',
  'schoolId',
  'schoolCode',
  'programmeOfStudy',
  'intakeYear',
  'phone',
  'operator',
];

export type StudentChanges = Partial<Record<keyof StudentFields, { from: unknown; to: unknown }>>;

/** Each field whose value differs, with its value before and after (the `changes` of student.updated). */
export function diffStudentFields(before: StudentFields, after: StudentFields): StudentChanges {
  const changes: StudentChanges = {};
  for (const field of EDITABLE_FIELDS) {
    if (before[field] !== after[field]) changes[field] = { from: before[field], to: after[field] };
  }
  return changes;
}

export function fieldsOf(student: StudentEntity): StudentFields {
  return {
    nationalId: student.nationalId,
    firstName: student.firstName,
    lastName: student.lastName,
    sex: student.sex,
    dateOfBirth: student.dateOfBirth,
    regionOfOrigin: student.regionOfOrigin,
    schoolId: student.schoolId,
    schoolCode: student.schoolCode,
    programmeOfStudy: student.programmeOfStudy,
    intakeYear: student.intakeYear,
    phone: student.phone,
    operator: student.operator,
  };
}

export function searchTextOf(fields: Pick<StudentFields, 'firstName' | 'lastName'>): string {
  return foldForComparison(`${fields.firstName} ${fields.lastName}`);
}

export interface StudentState extends StudentFields {
  id: string;
  version: number;
  status: StudentStatus;
  enrolledAt: Date;
}

/** The student as events carry it. */
export function toStudentSnapshot(student: StudentState): StudentSnapshot {
  return {
    studentId: student.id,
    version: student.version,
    nationalId: student.nationalId,
    firstName: student.firstName,
    lastName: student.lastName,
    sex: student.sex,
    dateOfBirth: student.dateOfBirth,
    regionOfOrigin: student.regionOfOrigin,
    schoolId: student.schoolId,
    schoolCode: student.schoolCode,
    programmeOfStudy: student.programmeOfStudy,
    intakeYear: student.intakeYear,
    phone: student.phone,
    operator: student.operator,
    status: student.status,
    enrolledAt: student.enrolledAt.toISOString(),
  };
}
