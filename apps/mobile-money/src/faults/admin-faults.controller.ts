import { Controller, Delete, Get, Put, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ProviderAdminEndpoint } from '../common/provider-api.decorator';
import { ProviderClient } from '../oauth/provider-token.guard';
import { FaultService } from './fault.service';
import type { FaultState } from './fault.service';
import { ReplaceFaultsUseCase } from './replace-faults.use-case';

@ApiTags('admin')
@ProviderAdminEndpoint()
@Controller('admin/faults')
export class AdminFaultsController {
  constructor(
    private readonly faults: FaultService,
    private readonly replaceFaults: ReplaceFaultsUseCase,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'The fault configuration in force, its seed, and where it came from (the environment, or the client and time of the admin change)',
  })
  get(): FaultState {
    return this.faults.state();
  }

  @Put()
  @ApiOperation({
    summary:
      'Replace the fault configuration, durably and for every provider process (see the README, "Fault injection")',
  })
  @ApiBody({
    schema: { type: 'object', example: { seed: 7, global: { errorRate: 0.1, errorPhase: 'after' } } },
  })
  put(@Req() request: RawBodyRequest<FastifyRequest>, @ProviderClient() clientId: string): Promise<FaultState> {
    // The platform's JSON parser reads an empty body as {}; only the raw bytes tell it from an explicit {}.
    return this.replaceFaults.execute(request.rawBody?.length === 0 ? undefined : request.body, clientId);
  }

  @Delete()
  @ApiOperation({
    summary: "Switch every fault off, durably (a restart does not bring the environment's faults back)",
  })
  clear(@ProviderClient() clientId: string): Promise<FaultState> {
    return this.replaceFaults.clear(clientId);
  }
}
