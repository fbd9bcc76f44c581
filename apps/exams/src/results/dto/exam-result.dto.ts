import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, IsOptional, IsUUID, Min } from 'class-validator';
import { IsText } from '../../common/validators';
import { PageQueryDto } from '../../common/page.dto';
import type { ExamResultRevisionEntity } from '../exam-result-revision.entity';
import type { ExamResultEntity, ResultSource } from '../exam-result.entity';

export class RecordExamResultDto {
  @ApiPropertyOptional({ description: 'The student, by id (give this or nationalId)' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  studentId?: string;

  @ApiPropertyOptional({
    description: 'The student, by national id (NINA); looked up among students enrolment has announced',
  })
  @IsOptional()
  @IsText(64)
  nationalId?: string;

  @ApiProperty({ description: 'true: passed (admis); false: failed (ajourné)' })
  @IsBoolean({ message: 'must be true or false' })
  passed: boolean;

  @ApiPropertyOptional({
    nullable: true,
    description: "Score out of the session's scale (20 or 100), two decimals at most",
  })
  @IsOptional()
  @IsNumber(
    { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 },
    { message: 'must be a number with at most two decimals' },
  )
  score?: number | null;

  @ApiPropertyOptional({ description: 'Why; required when this changes a result already recorded' })
  @IsOptional()
  @IsText(500)
  reason?: string;
}

export class CorrectExamResultDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  passed?: boolean;

  @ApiPropertyOptional({ nullable: true, description: 'New score; null removes it' })
  @IsOptional()
  @IsNumber(
    { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 },
    { message: 'must be a number with at most two decimals' },
  )
  score?: number | null;

  @ApiProperty({ description: 'Why the result is corrected (kept in its history)' })
  @IsText(500)
  reason: string;

  @ApiPropertyOptional({
    description: 'Refuse the correction (409) unless the result is still at this revision',
  })
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  expectedRevision?: number;
}

function booleanQuery({ value }: { value: unknown }): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

export class ListExamResultsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only passes (true) or fails (false)' })
  @IsOptional()
  @Transform(booleanQuery)
  @IsBoolean({ message: 'must be true or false' })
  passed?: boolean;

  @ApiPropertyOptional({
    description: 'Only recipients (true) or non-recipients (false), as the read model now says',
  })
  @IsOptional()
  @Transform(booleanQuery)
  @IsBoolean({ message: 'must be true or false' })
  recipient?: boolean;
}

export class ExamResultResponse {
  @ApiProperty() id: string;
  @ApiProperty() sessionId: string;
  @ApiProperty() studentId: string;
  @ApiProperty() passed: boolean;
  @ApiProperty({ nullable: true, type: Number }) score: number | null;
  @ApiProperty({ description: '1 for the first entry, one more with each correction' }) revision: number;
  @ApiProperty() recordedBy: string;
  @ApiProperty() recordedAt: string;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ enum: ['entry', 'import'] }) source: ResultSource;
  @ApiProperty({ nullable: true, type: String }) importId: string | null;
  @ApiProperty() firstRecordedAt: string;
  @ApiProperty({ description: 'Held an award and was paid a stipend before the exam (from the read model)' })
  recipient: boolean;
  @ApiProperty({ description: 'Distinct months of stipend paid before the exam' }) stipendMonths: number;
  @ApiProperty({ nullable: true, type: String }) schoolCode: string | null;
  @ApiProperty({ nullable: true, type: String }) regionOfOrigin: string | null;
  @ApiProperty({ nullable: true, type: Number }) intakeYear: number | null;

  static of(result: ExamResultEntity): ExamResultResponse {
    return {
      id: result.id,
      sessionId: result.sessionId,
      studentId: result.studentId,
      passed: result.passed,
      score: result.score,
      revision: result.revision,
      recordedBy: result.recordedBy,
      recordedAt: result.recordedAt.toISOString(),
      reason: result.reason,
      source: result.source,
      importId: result.importId,
      firstRecordedAt: result.firstRecordedAt.toISOString(),
      recipient: result.recipient,
      stipendMonths: result.stipendMonths,
      schoolCode: result.schoolCode,
      regionOfOrigin: result.regionOfOrigin,
      intakeYear: result.intakeYear,
    };
  }
}

export class RecordingResponse {
  @ApiProperty({ enum: ['recorded', 'corrected', 'unchanged'] }) outcome:
    'recorded' | 'corrected' | 'unchanged';
  @ApiProperty({ type: ExamResultResponse }) result: ExamResultResponse;
}

export class ExamResultRevisionResponse {
  @ApiProperty() revision: number;
  @ApiProperty() passed: boolean;
  @ApiProperty({ nullable: true, type: Number }) score: number | null;
  @ApiProperty() recordedBy: string;
  @ApiProperty() recordedAt: string;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ enum: ['entry', 'import'] }) source: ResultSource;
  @ApiProperty({ nullable: true, type: String }) importId: string | null;
  @ApiProperty({ nullable: true, type: Number }) importRecord: number | null;

  static of(revision: ExamResultRevisionEntity): ExamResultRevisionResponse {
    return {
      revision: revision.revision,
      passed: revision.passed,
      score: revision.score,
      recordedBy: revision.recordedBy,
      recordedAt: revision.recordedAt.toISOString(),
      reason: revision.reason,
      source: revision.source,
      importId: revision.importId,
      importRecord: revision.importRecord,
    };
  }
}
