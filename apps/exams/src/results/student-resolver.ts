import { Injectable } from '@nestjs/common';
import { ReadModelRepository } from '../read-model/read-model.repository';
import { normaliseNationalId } from './exam-result.rules';
import { ExamResultErrors } from './exam-results.errors';

/** Turns "studentId or nationalId" into one student id, from the students enrolment has announced. */
@Injectable()
export class StudentResolver {
  constructor(private readonly readModel: ReadModelRepository) {}

  async resolve(input: { studentId?: string | null; nationalId?: string | null }): Promise<string> {
    const studentId = input.studentId?.toLowerCase() ?? null;
    const nationalId = input.nationalId ?? null;
    if (studentId === null && nationalId === null) throw ExamResultErrors.studentMissing();
    if (nationalId === null) return studentId!;
    const found =
      (await this.readModel.findStudentIdsByNationalIds([nationalId])).get(normaliseNationalId(nationalId)) ??
      [];
    if (found.length === 0) throw ExamResultErrors.studentUnknown('nationalId');
    if (studentId !== null) {
      if (!found.includes(studentId)) throw ExamResultErrors.studentMismatch();
      return studentId;
    }
    if (found.length > 1) throw ExamResultErrors.studentAmbiguous();
    return found[0];
  }
}
