import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { WholeNumberQueryParam } from '@scholarpay/platform';

export class ListStudentChangesQuery {
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
