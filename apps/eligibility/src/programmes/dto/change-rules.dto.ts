import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class ChangeRulesDto {
  @ApiProperty({
    description: 'The new json-rules-engine condition object (all / any / not) over student facts',
  })
  @IsDefined({ message: 'is required: a condition group such as { "all": [ ... ] }' })
  rules: unknown;

  @ApiPropertyOptional({
    nullable: true,
    description:
      'Omitted: the ranking stays as it is. null: no ranking (first come, first served). A list: the new ranking.',
  })
  @IsOptional()
  ranking?: unknown;

  @ApiProperty({ example: 'Ministry circular 2015-02: Mopti students now qualify' })
  @IsString()
  @Matches(/\S/, { message: 'must say why the rules change' })
  @MaxLength(1000)
  reason: string;
}
