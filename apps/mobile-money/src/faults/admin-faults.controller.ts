import { Body, Controller, Delete, Get, Put } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  put(@Body() body: Record<string, unknown>, @ProviderClient() clientId: string): Promise<FaultState> {
    return this.replaceFaults.execute(body, clientId);
  }

  @Delete()
  @ApiOperation({
    summary: "Switch every fault off, durably (a restart does not bring the environment's faults back)",
  })
  clear(@ProviderClient() clientId: string): Promise<FaultState> {
    return this.replaceFaults.clear(clientId);
  }
}
