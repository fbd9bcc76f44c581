import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@scholarpay/auth';
import { StudentAccessPolicy } from '../students/student-access.policy';
import { SchoolEntity } from './school.entity';
import { SchoolRepository } from './school.repository';

@Injectable()
export class ListSchoolsUseCase {
  constructor(private readonly schools: SchoolRepository) {}

  /** Every school for programme staff, auditors and evaluators; a school administrator's own otherwise. */
  async execute(actor: AuthenticatedUser): Promise<SchoolEntity[]> {
    const scope = StudentAccessPolicy.visibleSchools(actor);
    return scope === 'all' ? this.schools.listAll() : this.schools.listAll(scope);
  }
}
