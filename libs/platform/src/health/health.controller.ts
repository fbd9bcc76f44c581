import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@scholarpay/auth';
import { HealthCheckRegistry, HealthReport } from './health-check.registry';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly registry: HealthCheckRegistry) {}

  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get()
  @ApiOperation({ summary: "Readiness: every dependency the service registered (its database, Redis, the Kafka cluster and its consumer where it uses them) answers; 503 otherwise, naming the one that did not" })
  async ready(@Res({ passthrough: true }) response: FastifyReply): Promise<HealthReport> {
    const report = await this.registry.run();
    response.status(report.status === 'ok' ? 200 : 503);
    return report;
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness (alias of /health)' })
  async readyAlias(@Res({ passthrough: true }) response: FastifyReply): Promise<HealthReport> {
    return this.ready(response);
  }
}
