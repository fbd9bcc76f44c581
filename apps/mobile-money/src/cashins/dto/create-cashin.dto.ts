import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { AmountDto, MALI_MSISDN, MALI_MSISDN_PROBLEM } from '../../common/money.dto';

export class CustomerDto {
  @ApiProperty({ example: 'MSISDN', enum: ['MSISDN'] })
  @IsIn(['MSISDN'], { message: 'must be "MSISDN"' })
  idType: 'MSISDN';

  @ApiProperty({ example: '+22376123456' })
  @IsString({ message: 'must be a string' })
  @Matches(MALI_MSISDN, { message: MALI_MSISDN_PROBLEM })
  id: string;
}

export class CreateCashinDto {
  @ApiProperty({ type: CustomerDto })
  @IsDefined({ message: 'is required' })
  @ValidateNested()
  @Type(() => CustomerDto)
  customer: CustomerDto;

  @ApiProperty({ type: AmountDto })
  @IsDefined({ message: 'is required' })
  @ValidateNested()
  @Type(() => AmountDto)
  amount: AmountDto;

  @ApiProperty({
    example: 'stipend 2026-03 line 8c1d…',
    maxLength: 64,
    description: "the merchant's own reference",
  })
  @IsString({ message: 'must be a string' })
  @Length(1, 64, { message: 'must be 1 to 64 characters' })
  reference: string;

  @ApiPropertyOptional({ example: 'Bourse mars 2026', maxLength: 160 })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @MaxLength(160, { message: 'must be at most 160 characters' })
  description?: string;
}
