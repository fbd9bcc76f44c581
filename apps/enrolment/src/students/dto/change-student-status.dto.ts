import { ApiProperty } from '@nestjs/swagger';
import type { StudentStatus } from '@scholarpay/contracts';
import { IsIn, IsString } from 'class-validator';
import { Satisfies } from '../../common/satisfies.decorator';
import { reasonRule } from '../student-status.rules';

export class ChangeStudentStatusDto {
  @ApiProperty({ enum: ['enrolled', 'suspended', 'withdrawn', 'graduated'] })
  @IsIn(['enrolled', 'suspended', 'withdrawn', 'graduated'], {
    message: 'must be one of enrolled, suspended, withdrawn, graduated',
  })
  status: StudentStatus;

  @ApiProperty({
    example: 'Absent for the whole of March without leave',
    description: 'Why; kept in the status history (1-500 characters)',
  })
  @IsString()
  @Satisfies(reasonRule)
  reason: string;
}
