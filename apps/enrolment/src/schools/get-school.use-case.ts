import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@scholarpay/auth';
import { StudentAccessPolicy } from '../students/student-access.policy';
import { SchoolEntity } from './school.entity';
import { SchoolRepository } from './school.repository';
import { SchoolErrors } from './schools.errors';

@Injectable()
export class GetSchoolUseCase {
  constructor(private readonly schools: SchoolRepository) {}

  async execute(id: string, actor: AuthenticatedUser): Promise<SchoolEntity> {
    const school = await this.schools.findById(id);
    if (!school) throw SchoolErrors.notFound(id);
    if (!StudentAccessPolicy.canSeeSchool(actor, school.id)) throw SchoolErrors.forbidden();
    return school;
  }
}
