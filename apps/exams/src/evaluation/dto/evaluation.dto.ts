import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsUUID,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsText } from '../../common/validators';
import { STRATIFY_BY, type StratifyBy } from '../evaluation.repository';

/**
 * Largest count accepted in a typed-in table: a national certification exam sits thousands, so a
 * million per group is more than any exam ever sat, and it keeps the statistics' work small.
 */
export const MAX_TYPED_COUNT = 1_000_000;

export class PassRatesQueryDto {
  @ApiProperty({ description: 'The exam session to evaluate' })
  @IsDefined({ message: 'is required' })
  @IsUUID('all', { message: 'must be a UUID' })
  sessionId: string;

  @ApiPropertyOptional({ enum: STRATIFY_BY, default: 'school', description: 'What the strata are' })
  @IsOptional()
  @IsIn(STRATIFY_BY, { message: `must be one of ${STRATIFY_BY.join(', ')}` })
  stratifyBy?: StratifyBy;
}

export const CHART_VIEWS = ['comparison', 'months'] as const;
export type ChartView = (typeof CHART_VIEWS)[number];

export class PassRatesChartQueryDto extends PassRatesQueryDto {
  @ApiPropertyOptional({
    enum: CHART_VIEWS,
    default: 'comparison',
    description: 'Recipients against non-recipients, or pass rate by months of stipend',
  })
  @IsOptional()
  @IsIn(CHART_VIEWS, { message: `must be one of ${CHART_VIEWS.join(', ')}` })
  view?: ChartView;
}

export class TypedGroupCountsDto {
  @ApiProperty({ example: 40 })
  @IsDefined({ message: 'is required' })
  @IsInt({ message: 'must be a whole number' })
  @Min(0, { message: 'must not be negative' })
  @Max(MAX_TYPED_COUNT, { message: `must not exceed ${MAX_TYPED_COUNT}` })
  passed: number;

  @ApiProperty({ example: 60 })
  @IsDefined({ message: 'is required' })
  @IsInt({ message: 'must be a whole number' })
  @Min(0, { message: 'must not be negative' })
  @Max(MAX_TYPED_COUNT, { message: `must not exceed ${MAX_TYPED_COUNT}` })
  total: number;
}

export class TypedStratumDto {
  @ApiProperty({ example: 'Gao' })
  @IsText(100)
  name: string;

  @ApiProperty({ type: TypedGroupCountsDto })
  @IsDefined({ message: 'is required' })
  @IsObject({ message: 'must be an object with passed and total' })
  @ValidateNested()
  @Type(() => TypedGroupCountsDto)
  recipients: TypedGroupCountsDto;

  @ApiProperty({ type: TypedGroupCountsDto })
  @IsDefined({ message: 'is required' })
  @IsObject({ message: 'must be an object with passed and total' })
  @ValidateNested()
  @Type(() => TypedGroupCountsDto)
  nonRecipients: TypedGroupCountsDto;
}

export class TwoByTwoDto {
  @ApiProperty({
    type: [TypedStratumDto],
    description: 'One stratum or several (schools, cohorts, programmes)',
  })
  @IsDefined({ message: 'is required' })
  @IsArray({ message: 'must be an array of strata' })
  @ArrayMinSize(1, { message: 'must hold at least one stratum' })
  @ArrayMaxSize(200, { message: 'must hold at most 200 strata' })
  @ValidateNested({ each: true })
  @Type(() => TypedStratumDto)
  strata: TypedStratumDto[];
}
