import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { WholeNumberQueryParam } from '@scholarpay/platform';

/** A page of a cursor-paged list: `limit` and the previous page's `nextCursor`. */
export class CursorPageQuery {
  @ApiPropertyOptional({ example: 50, minimum: 1, maximum: 200, description: '1 to 200, default 50' })
  @IsOptional()
  @WholeNumberQueryParam(1, 200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

/** A student's change history is paged like every other list. */
export class ListStudentChangesQuery extends CursorPageQuery {}
