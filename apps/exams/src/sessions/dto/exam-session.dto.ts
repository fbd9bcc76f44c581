import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/page.dto';
import { IsCalendarDate, IsText } from '../../common/validators';
import type { ExamSessionEntity, ScoreScale } from '../exam-session.entity';

export class CreateExamSessionDto {
  @ApiProperty({
    example: 'DEF-IDE-2015-06',
    description: 'Unique code (letters, digits, ".", "_", "-"), compared without case',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
    message: 'must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit',
  })
  code: string;

  @ApiProperty({ example: "Examen de certification des infirmiers d'État, session de juin 2015" })
  @IsText(200)
  name: string;

  @ApiProperty({ example: '2015-06-15', description: 'Day of the exam, YYYY-MM-DD' })
  @IsCalendarDate()
  examDate: string;

  @ApiProperty({
    example: "infirmier d'État",
    description: 'The cadre certified, e.g. "infirmier d\'État", "sage-femme"',
  })
  @IsText(100)
  cadre: string;

  @ApiPropertyOptional({
    enum: [20, 100],
    default: 20,
    description: 'Scores of this session are out of 20 (the Malian norm) or out of 100',
  })
  @IsOptional()
  @IsIn([20, 100], { message: 'must be 20 or 100' })
  scoreScale?: ScoreScale;
}

export class ListExamSessionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only sessions of this cadre' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  cadre?: string;
}

export class ExamSessionResponse {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: '2015-06-15' }) examDate: string;
  @ApiProperty() cadre: string;
  @ApiProperty({ enum: [20, 100] }) scoreScale: ScoreScale;
  @ApiProperty({
    description: 'Payouts completed before this instant count as stipend received before the exam',
  })
  stipendCutoff: string;
  @ApiProperty() createdBy: string;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional() resultCount?: number;

  static of(session: ExamSessionEntity, resultCount?: number): ExamSessionResponse {
    return {
      id: session.id,
      code: session.code,
      name: session.name,
      examDate: session.examDate,
      cadre: session.cadre,
      scoreScale: Number(session.scoreScale) as ScoreScale,
      stipendCutoff: session.stipendCutoff.toISOString(),
      createdBy: session.createdBy,
      createdAt: session.createdAt.toISOString(),
      ...(resultCount === undefined ? {} : { resultCount }),
    };
  }
}
