import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { WholeNumberQueryParam } from '@scholarpay/platform';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { BatchStates } from '../payout-batch.state-machine';
import type { BatchState } from '../payout-batch.state-machine';
import { LineStatuses } from '../payout-line.state-machine';
import type { LineStatus } from '../payout-line.state-machine';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class CreatePayoutBatchDto {
  @ApiProperty({ format: 'uuid', description: 'The programme whose awards are paid' })
  @IsUUID('all', { message: 'must be a UUID' })
  programmeId: string;

  @ApiProperty({ example: '2015-03', description: 'The month paid (YYYY-MM)' })
  @IsString({ message: 'must be a string' })
  @Matches(MONTH, { message: 'must be a month written YYYY-MM (e.g. 2015-03)' })
  month: string;
}

export class BatchCommentDto {
  @ApiPropertyOptional({ description: 'A note kept in the audit trail', maxLength: 1000 })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @MaxLength(1000, { message: 'must be at most 1000 characters' })
  comment?: string;
}

export class BatchReasonDto {
  @ApiProperty({ description: 'Why (kept in the audit trail and, for a rejection, announced)', maxLength: 1000 })
  @IsString({ message: 'must be a string' })
  @IsNotEmpty({ message: 'is required' })
  @Matches(/\S/, { message: 'must not be blank' })
  @MaxLength(1000, { message: 'must be at most 1000 characters' })
  reason: string;
}

export class ReopenBatchDto {
  @ApiPropertyOptional({ description: 'Why the batch is reopened (kept in the audit trail)', maxLength: 1000 })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @MaxLength(1000, { message: 'must be at most 1000 characters' })
  reason?: string;
}

export class ListPayoutBatchesQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  programmeId?: string;

  @ApiPropertyOptional({ example: '2015-03' })
  @IsOptional()
  @Matches(MONTH, { message: 'must be a month written YYYY-MM' })
  month?: string;

  @ApiPropertyOptional({ enum: BatchStates })
  @IsOptional()
  @IsIn(BatchStates as unknown as string[], { message: `must be one of ${BatchStates.join(', ')}` })
  state?: BatchState;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @WholeNumberQueryParam(1, 200)
  limit?: number;
}

export class ListPayoutLinesQuery {
  @ApiPropertyOptional({ enum: LineStatuses })
  @IsOptional()
  @IsIn(LineStatuses as unknown as string[], { message: `must be one of ${LineStatuses.join(', ')}` })
  status?: LineStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsUUID('all', { message: 'must be the nextCursor of a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @WholeNumberQueryParam(1, 1000)
  limit?: number;
}
