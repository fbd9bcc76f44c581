import { Module } from '@nestjs/common';
import { SchoolsModule } from '../schools/schools.module';
import { StudentsModule } from '../students/students.module';
import { GetStudentImportUseCase } from './get-student-import.use-case';
import { ListImportRejectionsUseCase } from './list-import-rejections.use-case';
import { ProcessStudentImportUseCase } from './process-student-import.use-case';
import { StageStudentImportUseCase } from './stage-student-import.use-case';
import { StudentImportJobs } from './student-import.jobs';
import { StudentImportRepository } from './student-import.repository';
import { StudentImportsController } from './student-imports.controller';

@Module({
  imports: [SchoolsModule, StudentsModule],
  controllers: [StudentImportsController],
  providers: [
    StudentImportRepository,
    StageStudentImportUseCase,
    ProcessStudentImportUseCase,
    StudentImportJobs,
    GetStudentImportUseCase,
    ListImportRejectionsUseCase,
  ],
  exports: [StudentImportJobs],
})
export class ImportsModule {}
