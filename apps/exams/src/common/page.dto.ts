import { ApiPropertyOptional } from '@nestjs/swagger';
import { WholeNumberQueryParam } from '@scholarpay/platform';
import { IsOptional } from 'class-validator';

/**
 * Largest `offset` accepted: far past any list here (a session holds about a million results at
 * most), and a bound Postgres can take; an OFFSET beyond its bigint would fail the query with a 500.
 */
export const MAX_OFFSET = 1_000_000_000;

/** `?limit=&offset=` for list endpoints. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @WholeNumberQueryParam(1, 500)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_OFFSET, default: 0 })
  @IsOptional()
  @WholeNumberQueryParam(0, MAX_OFFSET)
  offset?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
