import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { MALI_MSISDN, MALI_MSISDN_PROBLEM } from '../../common/money.dto';

export class SendSmsDto {
  @ApiProperty({ example: '+22376123456' })
  @IsString({ message: 'must be a string' })
  @Matches(MALI_MSISDN, { message: MALI_MSISDN_PROBLEM })
  to: string;

  @ApiProperty({ maxLength: 480, example: 'Votre bourse de 25 000 FCFA a été versée.' })
  @IsString({ message: 'must be a string' })
  @Length(1, 480, { message: 'must be 1 to 480 characters' })
  message: string;

  @ApiPropertyOptional({ maxLength: 128, description: 'idempotency key: the same reference is sent once' })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Length(1, 128, { message: 'must be 1 to 128 characters' })
  reference?: string;
}
