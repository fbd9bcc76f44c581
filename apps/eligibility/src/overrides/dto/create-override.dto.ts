import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';

export class CreateOverrideDto {
  @ApiProperty({ example: '7d3f1a52-8a43-4f4e-9d0b-3c6f0b7c2a11' })
  @IsString()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'must be a UUID' })
  studentId: string;

  @ApiProperty({ enum: ['eligible', 'ineligible'] })
  @IsIn(['eligible', 'ineligible'], { message: 'must be "eligible" or "ineligible"' })
  decision: 'eligible' | 'ineligible';

  @ApiProperty({ example: 'Displaced from Kidal in 2012; enrolment recorded the region of the host family' })
  @IsString({ message: 'is required: say why the decision is forced' })
  @Matches(/\S/, { message: 'must say why the decision is forced' })
  @MaxLength(1000)
  reason: string;
}
