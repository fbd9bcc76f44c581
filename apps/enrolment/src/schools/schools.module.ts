import { Module } from '@nestjs/common';
import { CreateSchoolUseCase } from './create-school.use-case';
import { GetSchoolUseCase } from './get-school.use-case';
import { ListSchoolsUseCase } from './list-schools.use-case';
import { SchoolRepository } from './school.repository';
import { SchoolsController } from './schools.controller';

@Module({
  controllers: [SchoolsController],
  providers: [SchoolRepository, CreateSchoolUseCase, ListSchoolsUseCase, GetSchoolUseCase],
  exports: [SchoolRepository],
})
export class SchoolsModule {}
