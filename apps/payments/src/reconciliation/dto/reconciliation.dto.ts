import { ApiPropertyOptional } from '@nestjs/swagger';
import { WholeNumberQueryParam } from '@scholarpay/platform';
import { IsIn, IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { ReconciliationKinds } from '../reconciliation.rules';
import type { ReconciliationKind } from '../reconciliation.rules';

/** Either a batch, or a period (from inclusive, to exclusive). */
export class RunReconciliationDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Reconcile this batch' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  batchId?: string;

  @ApiPropertyOptional({ example: '2015-03-01T00:00:00Z', description: 'Start of the period (inclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  from?: string;

  @ApiPropertyOptional({ example: '2015-04-01T00:00:00Z', description: 'End of the period (exclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  to?: string;
}

export class ListReconciliationItemsQuery {
  @ApiPropertyOptional({ enum: ReconciliationKinds })
  @IsOptional()
  @IsIn(ReconciliationKinds as unknown as string[], { message: `must be one of ${ReconciliationKinds.join(', ')}` })
  kind?: ReconciliationKind;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'must be the nextCursor of a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @WholeNumberQueryParam(1, 1000)
  limit?: number;
}
