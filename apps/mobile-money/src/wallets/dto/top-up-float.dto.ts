import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { AmountDto } from '../../common/money.dto';

export class TopUpFloatDto {
  @ApiProperty({ type: AmountDto })
  @IsDefined({ message: 'is required' })
  @ValidateNested()
  @Type(() => AmountDto)
  amount: AmountDto;

  @ApiPropertyOptional({ maxLength: 200, description: 'why the float is topped up (kept with the top-up)' })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  note?: string;
}
