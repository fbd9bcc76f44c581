import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequireRoles, Roles } from '@scholarpay/auth';
import type { AuthenticatedUser } from '@scholarpay/auth';
import { ParseUuidPipe } from '../shared/parse-uuid.pipe';
import { ApprovePayoutBatchUseCase } from './approve-payout-batch.use-case';
import { CreatePayoutBatchUseCase } from './create-payout-batch.use-case';
import {
  BatchCommentDto,
  BatchReasonDto,
  CreatePayoutBatchDto,
  ListPayoutBatchesQuery,
  ListPayoutLinesQuery,
  ReopenBatchDto,
} from './dto/payout-batch.dto';
import { GetPayoutBatchUseCase, PayoutBatchView } from './get-payout-batch.use-case';
import { ListPayoutBatchesUseCase } from './list-payout-batches.use-case';
import { ListPayoutLinesUseCase } from './list-payout-lines.use-case';
import { RejectPayoutBatchUseCase } from './reject-payout-batch.use-case';
import { ReleasePayoutBatchUseCase } from './release-payout-batch.use-case';
import { ReopenPayoutBatchUseCase } from './reopen-payout-batch.use-case';
import { SubmitPayoutBatchUseCase } from './submit-payout-batch.use-case';

const readers = [Roles.financePreparer, Roles.financeApprover, Roles.auditor];

@ApiTags('payout batches')
@Controller('payout-batches')
export class PayoutBatchesController {
  constructor(
    private readonly create: CreatePayoutBatchUseCase,
    private readonly get: GetPayoutBatchUseCase,
    private readonly listBatches: ListPayoutBatchesUseCase,
    private readonly listLines: ListPayoutLinesUseCase,
    private readonly submit: SubmitPayoutBatchUseCase,
    private readonly approve: ApprovePayoutBatchUseCase,
    private readonly reject: RejectPayoutBatchUseCase,
    private readonly reopen: ReopenPayoutBatchUseCase,
    private readonly release: ReleasePayoutBatchUseCase,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireRoles(Roles.financePreparer)
  @ApiOperation({ summary: "Prepare a DRAFT batch of a programme's stipends for a month (one line per active award)" })
  async createBatch(@Body() body: CreatePayoutBatchDto, @CurrentUser() user: AuthenticatedUser): Promise<PayoutBatchView> {
    const batchId = await this.create.execute({ programmeId: body.programmeId.toLowerCase(), month: body.month, actor: user.sub });
    return this.get.execute(batchId);
  }

  @Get()
  @RequireRoles(...readers)
  @ApiOperation({ summary: 'Recent batches, newest first' })
  async list(@Query() query: ListPayoutBatchesQuery) {
    return this.listBatches.execute(query);
  }

  @Get(':batchId')
  @RequireRoles(...readers)
  @ApiOperation({ summary: 'A batch: state, totals, counts by line status, exclusions and audit trail' })
  async findOne(@Param('batchId', new ParseUuidPipe('batchId')) batchId: string): Promise<PayoutBatchView> {
    return this.get.execute(batchId);
  }

  @Get(':batchId/lines')
  @RequireRoles(...readers)
  @ApiOperation({ summary: "A batch's lines, optionally of one status (paged by cursor)" })
  async lines(@Param('batchId', new ParseUuidPipe('batchId')) batchId: string, @Query() query: ListPayoutLinesQuery) {
    return this.listLines.execute({ batchId, ...query });
  }

  @Post(':batchId/submit')
  @HttpCode(200)
  @RequireRoles(Roles.financePreparer)
  @ApiOperation({ summary: 'Submit a DRAFT batch for approval' })
  async submitBatch(
    @Param('batchId', new ParseUuidPipe('batchId')) batchId: string,
    @Body() body: BatchCommentDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<PayoutBatchView> {
    await this.submit.execute({ batchId, actor: user.sub, comment: body.comment });
    return this.get.execute(batchId);
  }

  @Post(':batchId/approve')
  @HttpCode(200)
  @RequireRoles(Roles.financeApprover)
  @ApiOperation({ summary: 'Approve a submitted batch (not by who prepared it); checks budget and float, then disburses' })
  async approveBatch(
    @Param('batchId', new ParseUuidPipe('batchId')) batchId: string,
    @Body() body: BatchCommentDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<PayoutBatchView> {
    await this.approve.execute({ batchId, actor: user.sub, comment: body.comment });
    return this.get.execute(batchId);
  }

  @Post(':batchId/reject')
  @HttpCode(200)
  @RequireRoles(Roles.financeApprover)
  @ApiOperation({ summary: 'Reject a submitted batch with a reason (not by who prepared it)' })
  async rejectBatch(
    @Param('batchId', new ParseUuidPipe('batchId')) batchId: string,
    @Body() body: BatchReasonDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<PayoutBatchView> {
    await this.reject.execute({ batchId, actor: user.sub, reason: body.reason.trim() });
    return this.get.execute(batchId);
  }

  @Post(':batchId/reopen')
  @HttpCode(200)
  @RequireRoles(Roles.financePreparer)
  @ApiOperation({ summary: 'Reopen a rejected batch as a DRAFT, rebuilt from current awards and payees' })
  async reopenBatch(
    @Param('batchId', new ParseUuidPipe('batchId')) batchId: string,
    @Body() body: ReopenBatchDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<PayoutBatchView> {
    await this.reopen.execute({ batchId, actor: user.sub, reason: body.reason });
    return this.get.execute(batchId);
  }

  @Post(':batchId/close')
  @HttpCode(200)
  @RequireRoles(Roles.financePreparer, Roles.financeApprover)
  @ApiOperation({ summary: 'Close a rejected batch for good (its students can go in another batch)' })
  async closeBatch(
    @Param('batchId', new ParseUuidPipe('batchId')) batchId: string,
    @Body() body: BatchReasonDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<PayoutBatchView> {
    await this.release.execute({ batchId, actor: user.sub, action: 'close', reason: body.reason.trim() });
    return this.get.execute(batchId);
  }

  @Post(':batchId/cancel')
  @HttpCode(200)
  @RequireRoles(Roles.financePreparer)
  @ApiOperation({ summary: 'Cancel a DRAFT batch or one awaiting approval' })
  async cancelBatch(
    @Param('batchId', new ParseUuidPipe('batchId')) batchId: string,
    @Body() body: BatchReasonDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<PayoutBatchView> {
    await this.release.execute({ batchId, actor: user.sub, action: 'cancel', reason: body.reason.trim() });
    return this.get.execute(batchId);
  }
}
