import { DynamicModule, Global, Module } from '@nestjs/common';
import { MOBILE_MONEY_CONFIG } from '../config/mobile-money.config';
import type { MobileMoneyConfig } from '../config/mobile-money.config';
import { FaultGuard } from '../faults/fault.guard';
import { FaultInterceptor } from '../faults/fault.interceptor';
import { FaultService } from '../faults/fault.service';
import { RequestFaultGate } from '../faults/request-fault-gate';
import { AccessTokenRepository } from '../oauth/access-token.repository';
import { ProviderTokenGuard } from '../oauth/provider-token.guard';
import { ProviderTokenVerifier } from '../oauth/provider-token.verifier';
import { TokenCache } from '../oauth/token-cache';
import { ProviderExceptionFilter } from './provider-exception.filter';
import { ProviderHotPath } from './provider-hot-path';

/** What every provider route needs: the typed config, the token check, fault injection, the error format. */
@Global()
@Module({})
export class ProviderCoreModule {
  static register(config: MobileMoneyConfig): DynamicModule {
    const shared = [
      { provide: MOBILE_MONEY_CONFIG, useValue: config },
      { provide: TokenCache, useFactory: () => new TokenCache(10_000) },
      AccessTokenRepository,
      ProviderTokenVerifier,
      ProviderTokenGuard,
      FaultService,
      RequestFaultGate,
      ProviderHotPath,
      FaultGuard,
      FaultInterceptor,
      ProviderExceptionFilter,
    ];
    return {
      module: ProviderCoreModule,
      providers: shared,
      exports: shared.map((entry) => ('provide' in entry ? entry.provide : entry)),
    };
  }
}
