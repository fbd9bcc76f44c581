import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequireRoles } from '@scholarpay/auth';
import type { AuthenticatedUser } from '@scholarpay/auth';
import { programmeReaders } from '../shared/roles';
import { UuidParam } from '../shared/uuid.pipe';
import { ListAwardsQuery } from './dto/list-awards.query';
import { AwardListView, ListProgrammeAwardsUseCase } from './list-programme-awards.use-case';

@ApiTags('awards')
@Controller('programmes/:id/awards')
export class AwardsController {
  constructor(private readonly listAwards: ListProgrammeAwardsUseCase) {}

  @Get()
  @RequireRoles(...programmeReaders)
  @ApiOperation({
    summary:
      "A programme's awards (filter by status; cursor pagination); evaluators get no names and no status reasons",
  })
  list(
    @Param('id', new UuidParam('id')) id: string,
    @Query() query: ListAwardsQuery,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AwardListView> {
    return this.listAwards.execute(id, query, user);
  }
}
