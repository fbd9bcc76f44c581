import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProviderEndpoint } from '../common/provider-api.decorator';
import { CheckAccountHolderUseCase } from './check-account-holder.use-case';
import { BalanceView, GetBalanceUseCase } from './get-balance.use-case';

@ApiTags('account')
@ProviderEndpoint()
@Controller()
export class AccountController {
  constructor(
    private readonly checkAccountHolder: CheckAccountHolderUseCase,
    private readonly getBalance: GetBalanceUseCase,
  ) {}

  @Get('accountholders/:msisdn/active')
  @ApiOperation({ summary: 'Whether a number has an active (existing, unblocked) wallet' })
  active(@Param('msisdn') msisdn: string): Promise<{ result: boolean }> {
    return this.checkAccountHolder.execute(msisdn);
  }

  @Get('account/balance')
  @ApiOperation({ summary: 'The merchant float: available, and reserved by pending cash-ins' })
  balance(): Promise<BalanceView> {
    return this.getBalance.execute();
  }
}
