import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { MALI_MSISDN, MALI_MSISDN_PROBLEM } from '../../common/money.dto';

export class UpsertSubscriberDto {
  @ApiProperty({ example: '+22376123456' })
  @IsString({ message: 'must be a string' })
  @Matches(MALI_MSISDN, { message: MALI_MSISDN_PROBLEM })
  msisdn: string;

  @ApiProperty({ enum: [1, 2, 3], description: '1 number only, 2 identified, 3 fully verified' })
  @IsIn([1, 2, 3], { message: 'must be 1, 2 or 3' })
  kycLevel: 1 | 2 | 3;

  @ApiPropertyOptional({ description: 'omitted: false for a new wallet, unchanged for an existing one' })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  blocked?: boolean;
}
