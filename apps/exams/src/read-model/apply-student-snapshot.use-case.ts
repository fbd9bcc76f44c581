import { Injectable } from '@nestjs/common';
import type { StudentSnapshot } from '@scholarpay/contracts';
import type { EntityManager } from 'typeorm';
import { lockStudents, ReadModelRepository } from './read-model.repository';

/** Keeps the student's latest snapshot (an older version arriving late is ignored) and re-labels their results' strata. */
@Injectable()
export class ApplyStudentSnapshotUseCase {
  constructor(private readonly readModel: ReadModelRepository) {}

  async execute(student: StudentSnapshot, manager: EntityManager): Promise<void> {
    await lockStudents(manager, [student.studentId]);
    const applied = await this.readModel.applyStudentSnapshot(manager, student);
    if (applied) await this.readModel.refreshResultAttributes(manager, student.studentId);
  }
}
