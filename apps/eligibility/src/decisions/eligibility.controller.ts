import { Controller, Get, Param } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequireRoles, Roles, type AuthenticatedUser } from '@scholarpay/auth';
import { programmeReaders } from '../shared/roles';
import { UuidParam } from '../shared/uuid.pipe';
import { GetStudentEligibilityUseCase, StudentEligibilityView } from './get-student-eligibility.use-case';

@ApiTags('eligibility')
@Controller('students')
export class EligibilityController {
  constructor(private readonly getEligibility: GetStudentEligibilityUseCase) {}

  @Get(':studentId/eligibility')
  @RequireRoles(...programmeReaders, Roles.schoolAdmin)
  @ApiOperation({
    summary: "A student's decision in every programme, each rule's outcome in words, override and award",
  })
  @ApiNotFoundResponse({ description: 'Eligibility knows no such student (STUDENT.NOT_FOUND)' })
  @ApiForbiddenResponse({ description: "A school administrator asking about another school's student" })
  get(
    @Param('studentId', new UuidParam('studentId')) studentId: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<StudentEligibilityView> {
    return this.getEligibility.execute(studentId, user);
  }
}
