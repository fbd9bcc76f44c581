import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { Satisfies } from '../../common/satisfies.decorator';
import { MALI_REGIONS } from '@scholarpay/contracts';
import { regionRule } from '../../students/student-fields.rules';
import { labelRule, schoolCodeRule } from '../school.rules';

export class CreateSchoolDto {
  @ApiProperty({
    example: 'ESS-GAO',
    description: 'Short code, 2-32 letters, digits, hyphens or underscores; stored upper case',
  })
  @IsString()
  @Satisfies(schoolCodeRule)
  code: string;

  @ApiProperty({ example: 'École de Santé de Gao' })
  @IsString()
  @Satisfies(labelRule)
  name: string;

  @ApiProperty({
    example: 'Gao',
    enum: MALI_REGIONS,
    description: 'A region of Mali or the Bamako district; any case, accents optional',
  })
  @IsString()
  @Satisfies(regionRule)
  region: string;

  @ApiProperty({ example: 'Gao' })
  @IsString()
  @Satisfies(labelRule)
  city: string;
}

export class SchoolResource {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'ESS-GAO' })
  code: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ example: 'Gao' })
  region: string;

  @ApiProperty()
  city: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class SchoolListResource {
  @ApiProperty({ type: [SchoolResource] })
  items: SchoolResource[];
}
