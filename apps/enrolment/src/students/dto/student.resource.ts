import { ApiProperty } from '@nestjs/swagger';

export class StudentResource {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 1, description: 'Grows by one with every change' }) version: number;
  @ApiProperty({ example: 'ML0001' }) nationalId: string;
  @ApiProperty({ example: 'Aïssata' }) firstName: string;
  @ApiProperty({ example: "N'Diaye" }) lastName: string;
  @ApiProperty({ enum: ['F', 'M'] }) sex: string;
  @ApiProperty({ example: '2001-03-14' }) dateOfBirth: string;
  @ApiProperty({ example: 'Gao' }) regionOfOrigin: string;
  @ApiProperty({ format: 'uuid' }) schoolId: string;
  @ApiProperty({ example: 'ESS-GAO' }) schoolCode: string;
  @ApiProperty({ example: 'nursing' }) programmeOfStudy: string;
  @ApiProperty({ example: 2014 }) intakeYear: number;
  @ApiProperty({ example: '+22376123456', nullable: true, type: String }) phone: string | null;
  @ApiProperty({ enum: ['orange', 'moov'], nullable: true }) operator: string | null;
  @ApiProperty({ enum: ['enrolled', 'suspended', 'withdrawn', 'graduated'] }) status: string;
  @ApiProperty({ format: 'date-time' }) enrolledAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ description: 'Who made the last change (token subject)' }) updatedBy: string;
}

export class StatusHistoryEntryResource {
  @ApiProperty({
    enum: ['enrolled', 'suspended', 'withdrawn', 'graduated'],
    nullable: true,
    description: 'null for registration',
  })
  from: string | null;
  @ApiProperty({ enum: ['enrolled', 'suspended', 'withdrawn', 'graduated'] }) to: string;
  @ApiProperty() reason: string;
  @ApiProperty() changedBy: string;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
}

export class StudentDetailResource extends StudentResource {
  @ApiProperty({ type: [StatusHistoryEntryResource] }) statusHistory: StatusHistoryEntryResource[];
}

export class StudentPageResource {
  @ApiProperty({ type: [StudentResource] }) items: StudentResource[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as cursor for the next page; null on the last page',
  })
  nextCursor: string | null;
}

export class StudentChangeResource {
  @ApiProperty({ example: 3, description: "The student's version after this change" }) version: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: {
      type: 'object',
      properties: { from: { nullable: true }, to: { nullable: true } },
      required: ['from', 'to'],
    },
    example: {
      phone: { from: '+22376123456', to: '+22366123456' },
      operator: { from: 'orange', to: 'moov' },
    },
    description:
      'Each field that changed (nationalId, firstName, lastName, sex, dateOfBirth, regionOfOrigin, schoolId, schoolCode, programmeOfStudy, intakeYear, phone, operator) with its value before and after',
  })
  changes: Record<string, { from: unknown; to: unknown }>;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Why; always given for a phone, national id or school change made through the API',
  })
  reason: string | null;
  @ApiProperty({ description: 'Who made the change (token subject)' }) changedBy: string;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
}

export class StudentChangePageResource {
  @ApiProperty({ type: [StudentChangeResource] }) items: StudentChangeResource[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as cursor for the next page; null on the last page',
  })
  nextCursor: string | null;
}
