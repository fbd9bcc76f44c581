import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';

export class ListAwardsQuery {
  @ApiPropertyOptional({ enum: ['active', 'suspended', 'revoked'] })
  @IsOptional()
  @IsIn(['active', 'suspended', 'revoked'], { message: 'must be one of active, suspended, revoked' })
  status?: 'active' | 'suspended' | 'revoked';

  @ApiPropertyOptional({ description: 'Page size, 1 to 500 (default 100)', example: '100' })
  @IsOptional()
  @Matches(/^([1-9]\d{0,1}|[1-4]\d\d|500)$/, { message: 'must be a whole number from 1 to 500' })
  limit?: string;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}
