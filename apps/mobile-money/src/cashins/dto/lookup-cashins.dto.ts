import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsUUID } from 'class-validator';

export const MAX_LOOKUP_REFERENCES = 100;

export class LookupCashinsDto {
  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: MAX_LOOKUP_REFERENCES,
    description: 'the X-Reference-Ids of the cash-ins to look up (UUIDs)',
    example: ['5b1f0c4e-2f7a-4d1e-9a57-0d6f1f1b2c3d'],
  })
  @IsArray({ message: 'must be an array of UUIDs' })
  @ArrayMinSize(1, { message: 'must hold at least one reference' })
  @ArrayMaxSize(MAX_LOOKUP_REFERENCES, { message: `must hold at most ${MAX_LOOKUP_REFERENCES} references` })
  @IsUUID('all', { each: true, message: 'must hold UUIDs only' })
  referenceIds: string[];
}
