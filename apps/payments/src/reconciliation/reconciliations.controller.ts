import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequireRoles, Roles } from '@scholarpay/auth';
import type { AuthenticatedUser } from '@scholarpay/auth';
import { AppError, FieldProblem } from '@scholarpay/platform';
import { ParseUuidPipe } from '../shared/parse-uuid.pipe';
import { ListReconciliationItemsQuery, RunReconciliationDto } from './dto/reconciliation.dto';
import { GetReconciliationUseCase } from './get-reconciliation.use-case';
import { ListReconciliationItemsUseCase } from './list-reconciliation-items.use-case';
import { ReconciliationScope, ReconciliationView, RunReconciliationUseCase } from './run-reconciliation.use-case';

const MAX_PERIOD_MS = 366 * 24 * 3600 * 1000;

@ApiTags('reconciliations')
@Controller('reconciliations')
@RequireRoles(Roles.financePreparer, Roles.financeApprover, Roles.auditor)
export class ReconciliationsController {
  constructor(
    private readonly run: RunReconciliationUseCase,
    private readonly get: GetReconciliationUseCase,
    private readonly listItems: ListReconciliationItemsUseCase,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: "Compare the provider's statement with our lines and ledger, for a batch or a period" })
  async create(@Body() body: RunReconciliationDto, @CurrentUser() user: AuthenticatedUser): Promise<ReconciliationView> {
    return this.run.execute(scopeOf(body), user.sub);
  }

  @Get(':reconciliationId')
  @ApiOperation({ summary: 'A reconciliation: counts by kind and every mismatch' })
  async findOne(@Param('reconciliationId', new ParseUuidPipe('reconciliationId')) id: string) {
    return this.get.execute(id);
  }

  @Get(':reconciliationId/items')
  @ApiOperation({ summary: "A reconciliation's items, matched ones included, optionally of one kind" })
  async items(@Param('reconciliationId', new ParseUuidPipe('reconciliationId')) id: string, @Query() query: ListReconciliationItemsQuery) {
    return this.listItems.execute(id, query);
  }
}

/** `{ batchId }` or `{ from, to }` with from before to, nothing else. */
function scopeOf(body: RunReconciliationDto): ReconciliationScope {
  const problems: FieldProblem[] = [];
  const hasPeriod = body.from !== undefined || body.to !== undefined;
  if (body.batchId && hasPeriod) problems.push({ field: 'batchId', problem: 'give either batchId or from and to, not both' });
  if (!body.batchId && !hasPeriod) problems.push({ field: '(body)', problem: 'give either batchId or from and to' });
  if (!body.batchId && hasPeriod) {
    if (!body.from) problems.push({ field: 'from', problem: 'is required with to' });
    if (!body.to) problems.push({ field: 'to', problem: 'is required with from' });
  }
  if (problems.length === 0 && !body.batchId) {
    const from = new Date(body.from!);
    const to = new Date(body.to!);
    // ISO 8601 also has week dates (2026-W49) and ordinal dates (2026-341), which Date cannot read.
    const unreadable = (['from', 'to'] as const).filter((field) => Number.isNaN((field === 'from' ? from : to).getTime()));
    for (const field of unreadable) problems.push({ field, problem: 'must be a calendar date or date-time, such as 2026-12-01 or 2026-12-01T00:00:00Z' });
    if (unreadable.length === 0) {
      if (!(from < to)) problems.push({ field: 'to', problem: 'must be after from' });
      else if (to.getTime() - from.getTime() > MAX_PERIOD_MS) problems.push({ field: 'to', problem: 'the period must be at most 366 days' });
    }
    if (problems.length === 0) return { from, to };
  }
  if (problems.length > 0) {
    throw AppError.validation('REQUEST.VALIDATION_FAILED', `the request is invalid: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`, problems);
  }
  return { batchId: body.batchId!.toLowerCase() };
}
