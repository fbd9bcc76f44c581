import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, RequireRoles, Roles, type AuthenticatedUser } from '@scholarpay/auth';
import { UuidParam } from '../shared/uuid.pipe';
import { CreateOverrideDto } from './dto/create-override.dto';
import { OverrideResultView, RecordOverrideUseCase } from './record-override.use-case';

@ApiTags('overrides')
@Controller('programmes/:id/overrides')
export class OverridesController {
  constructor(private readonly recordOverride: RecordOverrideUseCase) {}

  @Post()
  @HttpCode(201)
  @RequireRoles(Roles.programmeAdmin)
  @ApiOperation({
    summary:
      'Force a student eligible or ineligible, with a mandatory reason; the student is decided again at once',
  })
  @ApiCreatedResponse({ description: 'The override, the resulting decision and award' })
  @ApiBadRequestResponse({ description: 'Missing reason, unknown decision, malformed student id' })
  @ApiNotFoundResponse({ description: 'Unknown programme or student' })
  create(
    @Param('id', new UuidParam('id')) id: string,
    @Body() body: CreateOverrideDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<OverrideResultView> {
    return this.recordOverride.execute(id, body, user);
  }
}
