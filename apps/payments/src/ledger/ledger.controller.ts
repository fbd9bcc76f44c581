import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { RequireRoles, Roles } from '@scholarpay/auth';
import { IsOptional, IsUUID } from 'class-validator';
import { ParseUuidPipe } from '../shared/parse-uuid.pipe';
import { GetProgrammeBalanceUseCase, ProgrammeBalanceView } from './get-programme-balance.use-case';
import { GetStudentBalanceUseCase, StudentBalanceView } from './get-student-balance.use-case';
import { GetTrialBalanceUseCase, TrialBalanceView } from './get-trial-balance.use-case';

export class TrialBalanceQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Check the line positions of one batch only' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  batchId?: string;
}

@ApiTags('ledger')
@Controller('ledger')
@RequireRoles(Roles.financePreparer, Roles.financeApprover, Roles.auditor, Roles.programmeAdmin)
export class LedgerController {
  constructor(
    private readonly programmeBalance: GetProgrammeBalanceUseCase,
    private readonly studentBalance: GetStudentBalanceUseCase,
    private readonly trialBalance: GetTrialBalanceUseCase,
  ) {}

  @Get('programmes/:programmeId/balance')
  @ApiOperation({ summary: "A programme's money: funded, remaining, committed, in flight, paid" })
  async programme(@Param('programmeId', new ParseUuidPipe('programmeId')) programmeId: string): Promise<ProgrammeBalanceView> {
    return this.programmeBalance.execute(programmeId);
  }

  @Get('students/:studentId/balance')
  @ApiOperation({ summary: "A student's stipends: committed, in flight, paid" })
  async student(@Param('studentId', new ParseUuidPipe('studentId')) studentId: string): Promise<StudentBalanceView> {
    return this.studentBalance.execute(studentId);
  }

  @Get('trial-balance')
  @RequireRoles(Roles.financeApprover, Roles.auditor)
  @ApiOperation({ summary: 'Totals per account type; checks every posting and every line position' })
  async trial(@Query() query: TrialBalanceQuery): Promise<TrialBalanceView> {
    return this.trialBalance.execute({ batchId: query.batchId });
  }
}
