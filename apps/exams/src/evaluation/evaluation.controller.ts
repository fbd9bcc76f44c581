import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { RequireRoles, Roles } from '@scholarpay/auth';
import type { FastifyReply } from 'fastify';
import { ExamSessionResponse } from '../sessions/dto/exam-session.dto';
import { PassRatesChartQueryDto, PassRatesQueryDto, TwoByTwoDto } from './dto/evaluation.dto';
import { EvaluatePassRatesUseCase, type PassRateEvaluation } from './evaluate-pass-rates.use-case';
import { EvaluateTwoByTwoUseCase } from './evaluate-two-by-two.use-case';
import { presentStatistics, type PassRateStatistics } from './pass-rate-report';
import {
  comparisonChartGroups,
  evaluationToCsv,
  monthsChartGroups,
  renderPassRateChartSvg,
} from './statistics';

const RECIPIENT_DEFINITION =
  'a student holding a scholarship award granted before the exam day who was paid at least one stipend (payout succeeded) before the exam day';
const MONTHS_DEFINITION =
  'distinct stipend months paid (payout succeeded) before the exam day; 0 for non-recipients';

@ApiTags('evaluations')
@RequireRoles(Roles.evaluator, Roles.auditor, Roles.programmeAdmin)
@Controller('evaluations')
export class EvaluationController {
  constructor(
    private readonly passRates: EvaluatePassRatesUseCase,
    private readonly twoByTwo: EvaluateTwoByTwoUseCase,
  ) {}

  @Get('pass-rates')
  @ApiOperation({
    summary:
      'Pass rates of recipients and non-recipients for a session, with the comparison, the strata and pass rate by months of stipend',
  })
  async report(@Query() query: PassRatesQueryDto): Promise<
    PassRateStatistics & {
      session: ExamSessionResponse;
      stratifyBy: string;
      definitions: Record<string, string>;
      completeness: PassRateEvaluation['completeness'];
      computedAt: string;
    }
  > {
    const evaluation = await this.passRates.execute({
      sessionId: query.sessionId,
      stratifyBy: query.stratifyBy ?? 'school',
    });
    return {
      session: ExamSessionResponse.of(evaluation.session),
      stratifyBy: evaluation.stratifyBy,
      definitions: {
        recipient: RECIPIENT_DEFINITION,
        stipendMonths: MONTHS_DEFINITION,
        stipendCutoff: evaluation.session.stipendCutoff.toISOString(),
        differencesAndRatios: 'recipients minus (over) non-recipients; 95% intervals',
      },
      ...presentStatistics(evaluation.report, evaluation.flags, true),
      completeness: evaluation.completeness,
      computedAt: evaluation.computedAt.toISOString(),
    };
  }

  @Get('pass-rates.csv')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The same evaluation as CSV, one row per reported quantity' })
  async csv(
    @Query() query: PassRatesQueryDto,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<string> {
    const evaluation = await this.passRates.execute({
      sessionId: query.sessionId,
      stratifyBy: query.stratifyBy ?? 'school',
    });
    const csv = evaluationToCsv(evaluation.report);
    // Set only on success: an error answer stays application/json.
    response.header('Content-Type', 'text/csv; charset=utf-8');
    response.header('Content-Disposition', `attachment; filename="${fileName(evaluation, 'csv')}"`);
    return csv;
  }

  @Get('pass-rates.svg')
  @ApiProduces('image/svg+xml')
  @ApiOperation({
    summary:
      'Chart of pass rates with 95% intervals: recipients against non-recipients, or by months of stipend',
  })
  async svg(
    @Query() query: PassRatesChartQueryDto,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<string> {
    const evaluation = await this.passRates.execute({
      sessionId: query.sessionId,
      stratifyBy: query.stratifyBy ?? 'school',
    });
    const { session, report } = evaluation;
    const view = query.view ?? 'comparison';
    const svg =
      view === 'months'
        ? renderPassRateChartSvg({
            title: `Pass rate by months of stipend, ${session.code} (${session.examDate})`,
            xAxisTitle: 'Months of stipend received before the exam',
            groups: monthsChartGroups(report.byMonths),
          })
        : renderPassRateChartSvg({
            title: `Pass rates, ${session.code} (${session.examDate}): scholarship recipients vs non-recipients`,
            xAxisTitle: 'Group (bars: pass rate; whiskers: Wilson 95% interval)',
            groups: comparisonChartGroups(report.overall),
          });
    response.header('Content-Type', 'image/svg+xml; charset=utf-8');
    response.header('Content-Disposition', `inline; filename="${fileName(evaluation, 'svg')}"`);
    return svg;
  }

  @Post('two-by-two')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The same statistics from counts typed in, one stratum or several',
    description:
      'Impossible counts (more passed than total, negative, fractional, repeated stratum names) get 400 naming the field.',
  })
  async compute(@Body() body: TwoByTwoDto): Promise<PassRateStatistics> {
    return this.twoByTwo.execute(body.strata);
  }
}

function fileName(evaluation: PassRateEvaluation, extension: string): string {
  const code = evaluation.session.code.replace(/[^A-Za-z0-9._-]/g, '_');
  return `pass-rates-${code}-by-${evaluation.stratifyBy}.${extension}`;
}
