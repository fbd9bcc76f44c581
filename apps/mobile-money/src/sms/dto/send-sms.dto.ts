import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { MALI_MSISDN, MALI_MSISDN_PROBLEM } from '../../common/money.dto';

export const MAX_SMS_PER_BATCH = 100;

/** What every SMS carries: the number and the text. */
class SmsContentDto {
  @ApiProperty({ example: '+22376123456' })
  @IsString({ message: 'must be a string' })
  @Matches(MALI_MSISDN, { message: MALI_MSISDN_PROBLEM })
  to: string;

  @ApiProperty({ maxLength: 480, example: 'Votre bourse de 25 000 FCFA a été versée.' })
  @IsString({ message: 'must be a string' })
  @Length(1, 480, { message: 'must be 1 to 480 characters' })
  message: string;
}

export class SendSmsDto extends SmsContentDto {
  @ApiPropertyOptional({ maxLength: 128, description: 'idempotency key: the same reference is sent once' })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Length(1, 128, { message: 'must be 1 to 128 characters' })
  reference?: string;
}

/** A message of a bulk send: its reference is required, since each one's answer is told apart by it. */
export class BatchSmsMessageDto extends SmsContentDto {
  @ApiProperty({ maxLength: 128, description: 'idempotency key: the same reference is sent once' })
  @IsDefined({ message: 'is required' })
  @IsString({ message: 'must be a string' })
  @Length(1, 128, { message: 'must be 1 to 128 characters' })
  reference: string;
}

export class SendSmsBatchDto {
  @ApiProperty({ type: [BatchSmsMessageDto], minItems: 1, maxItems: MAX_SMS_PER_BATCH })
  @IsArray({ message: 'must be an array of messages' })
  @ArrayMinSize(1, { message: 'must hold at least one message' })
  @ArrayMaxSize(MAX_SMS_PER_BATCH, { message: `must hold at most ${MAX_SMS_PER_BATCH} messages` })
  @ValidateNested({ each: true })
  @Type(() => BatchSmsMessageDto)
  messages: BatchSmsMessageDto[];
}
