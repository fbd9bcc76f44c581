import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@scholarpay/auth';
import { randomUUID } from 'node:crypto';
import { mustPass } from '../common/rule-result';
import { regionRule } from '../students/student-fields.rules';
import { CreateSchoolDto } from './dto/create-school.dto';
import { SchoolEntity } from './school.entity';
import { SchoolRepository } from './school.repository';
import { labelRule, schoolCodeRule } from './school.rules';
import { SchoolErrors } from './schools.errors';

@Injectable()
export class CreateSchoolUseCase {
  constructor(private readonly schools: SchoolRepository) {}

  /** The DTO has been validated with the same rules; here they give the stored form. */
  async execute(command: CreateSchoolDto, actor: AuthenticatedUser): Promise<SchoolEntity> {
    const code = mustPass(schoolCodeRule(command.code));
    const created = await this.schools.insertIfCodeFree({
      id: randomUUID(),
      code,
      name: mustPass(labelRule(command.name)),
      region: mustPass(regionRule(command.region)),
      city: mustPass(labelRule(command.city)),
      createdBy: actor.sub,
    });
    if (created) return created;
    const existing = await this.schools.findByCode(code);
    throw SchoolErrors.codeTaken(code, existing?.id ?? 'unknown');
  }
}
