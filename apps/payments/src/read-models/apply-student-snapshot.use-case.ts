import { Injectable } from '@nestjs/common';
import type { StudentSnapshot } from '@scholarpay/contracts';
import type { EntityManager } from 'typeorm';
import { ReadModelRepository } from './read-model.repository';

/** A student registered, updated or changed status: the payee (phone, operator, status) follows the newest snapshot. */
@Injectable()
export class ApplyStudentSnapshotUseCase {
  constructor(private readonly readModels: ReadModelRepository) {}

  async execute(student: StudentSnapshot, manager: EntityManager): Promise<void> {
    await this.readModels.upsertPayee(manager, student);
  }
}
