import { Module } from '@nestjs/common';
import { SchoolsModule } from '../schools/schools.module';
import { ChangeStudentStatusUseCase } from './change-student-status.use-case';
import { GetStudentUseCase } from './get-student.use-case';
import { ListStudentChangesUseCase } from './list-student-changes.use-case';
import { ListStudentsUseCase } from './list-students.use-case';
import { RegisterStudentUseCase } from './register-student.use-case';
import { StudentRepository } from './student.repository';
import { StudentsController } from './students.controller';
import { UpdateStudentUseCase } from './update-student.use-case';

@Module({
  imports: [SchoolsModule],
  controllers: [StudentsController],
  providers: [
    StudentRepository,
    RegisterStudentUseCase,
    ListStudentsUseCase,
    GetStudentUseCase,
    ListStudentChangesUseCase,
    UpdateStudentUseCase,
    ChangeStudentStatusUseCase,
  ],
  exports: [StudentRepository],
})
export class StudentsModule {}
